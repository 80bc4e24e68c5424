import { BarChartOutlined, TableOutlined } from "@ant-design/icons";
import { Card, Segmented } from "antd";
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "./Chart";
import type { ChartOption } from "./options";
import { canDrawCharts } from "./support";

/** A titled chart with its table: a toggle shows the same figures as a table, and
 *  the table is what shows where the chart cannot be drawn. */
export function ChartPanel({ title, option, table, height = 300, extra, testId }: {
  title: ReactNode;
  option: ChartOption;
  table: ReactNode;
  height?: number;
  extra?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const drawable = canDrawCharts();
  const [view, setView] = useState<"chart" | "table">("chart");
  const showTable = view === "table" || !drawable;
  return (
    <Card title={title} size="small" data-testid={testId}
      extra={<>
        {extra}
        {drawable && (
          <Segmented size="small" value={view} onChange={(v) => setView(v as "chart" | "table")}
            data-testid="chart-toggle" aria-label={t("dashboardCharts.view.label")} options={[
              { value: "chart", icon: <BarChartOutlined />, label: t("dashboardCharts.view.chart") },
              { value: "table", icon: <TableOutlined />, label: t("dashboardCharts.view.table") },
            ]} />
        )}
      </>}>
      {showTable
        ? <div data-testid="chart-table">{table}</div>
        : <Chart option={option} height={height} testId="chart"
          fallback={<div data-testid="chart-table">{table}</div>} />}
    </Card>
  );
}
