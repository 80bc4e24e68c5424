/** The dashboard's five charts, each with its table (the toggle, and the fallback
 *  where a chart cannot be drawn). Amounts are null while locked: the charts and
 *  tables then leave them out. */
import { Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../../api/client";
import { chartAmount, dayLabel, monthLabel, spansYears, topFirst } from "../../../lib/dashboard";
import { ChartPanel } from "../../../shared/charts/ChartPanel";
import { cartesianOption, pieOption } from "../../../shared/charts/options";
import { Money } from "../../../shared/ui";

type Figures = Schemas["DashboardFigures"];

const ORDERS = "#1677ff";
const AMOUNT = "#fa8c16";
const small = { size: "small", pagination: false, scroll: { x: 360 } } as const;

function useLabels() {
  const { t, i18n } = useTranslation();
  const month = (m: string, long: boolean) => monthLabel(m, i18n.language, long);
  const area = (a: string | null) => a ?? t("dashboardCharts.noArea");
  return { month, area };
}

export function MonthlyPanel({ figures: f }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const label = useLabels();
  const locked = f.amounts_locked;
  const long = spansYears(f.months.map((m) => m.month));
  const option = cartesianOption({
    lang: i18n.language, empty: t("dashboardCharts.empty"),
    categories: f.months.map((m) => label.month(m.month, long)),
    axes: locked ? [{ name: t("dashboardCharts.series.orders"), integer: true }]
      : [{ name: t("dashboardCharts.series.orders"), integer: true },
        { name: t("dashboardCharts.series.amount"), money: true }],
    series: [
      { name: t("dashboardCharts.series.orders"), kind: "bar", color: ORDERS, data: f.months.map((m) => m.orders) },
      ...(locked ? [] : [{ name: t("dashboardCharts.series.amount"), kind: "line" as const, axis: 1 as const,
        money: true, color: AMOUNT, data: f.months.map((m) => chartAmount(m.amount)) }]),
    ],
  });
  return (
    <ChartPanel title={t("dashboardCharts.monthly.title")} option={option} testId="dashboard-chart-monthly"
      table={<Table<Schemas["DashboardMonth"]> {...small} rowKey="month" dataSource={f.months}
        columns={[
          { title: t("dashboardCharts.monthly.month"), dataIndex: "month", render: (m: string) => label.month(m, true) },
          { title: t("dashboardCharts.series.orders"), dataIndex: "orders", align: "right" },
          ...(locked ? [] : [{ title: t("dashboardCharts.series.amount"), dataIndex: "amount", align: "right" as const,
            render: (v: string | null) => <Money value={v} /> }]),
        ]} />} />
  );
}

export function AreasPanel({ figures: f }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const label = useLabels();
  const locked = f.amounts_locked;
  const option = cartesianOption({
    lang: i18n.language, empty: t("dashboardCharts.empty"),
    categories: f.areas.map((a) => label.area(a.area)),
    axes: locked ? [{ name: t("dashboardCharts.series.orders"), integer: true }]
      : [{ name: t("dashboardCharts.series.orders"), integer: true },
        { name: t("dashboardCharts.series.amount"), money: true }],
    series: [
      { name: t("dashboardCharts.series.orders"), kind: "bar", color: ORDERS, data: f.areas.map((a) => a.orders) },
      ...(locked ? [] : [{ name: t("dashboardCharts.series.amount"), kind: "bar" as const, axis: 1 as const,
        money: true, color: AMOUNT, data: f.areas.map((a) => chartAmount(a.amount)) }]),
    ],
  });
  return (
    <ChartPanel title={t("dashboardCharts.areas.title")} option={option} testId="dashboard-chart-areas"
      table={<Table<Schemas["DashboardArea"]> {...small} rowKey={(a) => a.area ?? ""} dataSource={f.areas}
        locale={{ emptyText: t("dashboardCharts.empty") }}
        columns={[
          { title: t("dashboardCharts.areas.area"), dataIndex: "area", render: (a: string | null) => label.area(a) },
          { title: t("dashboardCharts.series.orders"), dataIndex: "orders", align: "right" },
          ...(locked ? [] : [{ title: t("dashboardCharts.series.amount"), dataIndex: "amount", align: "right" as const,
            render: (v: string | null) => <Money value={v} /> }]),
        ]} />} />
  );
}

export function ConsumablesPanel({ figures: f }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const byAmount = f.consumables_ranked_by === "amount" && !f.amounts_locked;
  const rows = topFirst(f.consumables);
  const option = cartesianOption({
    lang: i18n.language, empty: t("dashboardCharts.empty"), horizontal: true, labels: true,
    categories: rows.map((c) => c.model),
    axes: [byAmount ? { name: t("dashboardCharts.series.amount"), money: true }
      : { name: t("dashboardCharts.series.quantity"), integer: true }],
    series: [byAmount
      ? { name: t("dashboardCharts.series.amount"), kind: "bar", money: true, color: AMOUNT,
        data: rows.map((c) => chartAmount(c.amount)) }
      : { name: t("dashboardCharts.series.quantity"), kind: "bar", color: ORDERS, data: rows.map((c) => c.quantity) }],
  });
  return (
    <ChartPanel option={option} testId="dashboard-chart-consumables"
      title={t(byAmount ? "dashboardCharts.consumables.titleAmount" : "dashboardCharts.consumables.titleQuantity")}
      table={<Table<Schemas["DashboardConsumable"]> {...small} rowKey="model" dataSource={f.consumables}
        locale={{ emptyText: t("dashboardCharts.empty") }}
        columns={[
          { title: "#", key: "rank", width: 44, render: (_v, _r, i) => i + 1 },
          { title: t("dashboardCharts.consumables.model"), dataIndex: "model", ellipsis: true },
          { title: t("dashboardCharts.consumables.name"), dataIndex: "name", ellipsis: true },
          { title: t("dashboardCharts.series.quantity"), dataIndex: "quantity", align: "right" },
          ...(f.amounts_locked ? [] : [{ title: t("dashboardCharts.series.amount"), dataIndex: "amount",
            align: "right" as const, render: (v: string | null) => <Money value={v} /> }]),
        ]} />} />
  );
}

export function GradesPanel({ figures: f }: { figures: Figures }) {
  const { t } = useTranslation();
  const name = (g: string) => t(`grade.${g}`, g);
  const option = pieOption({
    name: t("dashboardCharts.grades.title"), empty: t("dashboardCharts.grades.empty"),
    data: f.grades.filter((g) => g.customers > 0).map((g) => ({ name: name(g.grade), value: g.customers })),
  });
  return (
    <ChartPanel title={t("dashboardCharts.grades.title")} option={option} testId="dashboard-chart-grades"
      extra={<Typography.Text type="secondary" style={{ marginRight: 8 }}>{t("dashboardCharts.grades.now")}</Typography.Text>}
      table={<Table<Schemas["DashboardGrade"]> {...small} rowKey="grade" dataSource={f.grades}
        columns={[
          { title: t("dashboardCharts.grades.grade"), dataIndex: "grade", render: (g: string) => name(g) },
          { title: t("dashboardCharts.series.customers"), dataIndex: "customers", align: "right" },
        ]} />} />
  );
}

export function AnomaliesPanel({ figures: f }: { figures: Figures }) {
  const { t } = useTranslation();
  const withYear = spansYears(f.anomalies.map((a) => a.day.slice(0, 7)));
  const option = cartesianOption({
    empty: t("dashboardCharts.anomalies.empty"),
    categories: f.anomalies.map((a) => dayLabel(a.day, withYear)),
    axes: [{ integer: true }],
    series: [{ name: t("dashboardCharts.series.anomalies"), kind: "line", color: "#cf1322",
      data: f.anomalies.map((a) => a.customers) }],
  });
  return (
    <ChartPanel title={t("dashboardCharts.anomalies.title")} option={option} testId="dashboard-chart-anomalies"
      table={<Table<Schemas["DashboardAnomalyDay"]> {...small} rowKey="day" dataSource={f.anomalies}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false, size: "small" }}
        locale={{ emptyText: t("dashboardCharts.anomalies.empty") }}
        columns={[
          { title: t("dashboardCharts.anomalies.day"), dataIndex: "day" },
          { title: t("dashboardCharts.series.anomalies"), dataIndex: "customers", align: "right" },
        ]} />} />
  );
}
