import { LockOutlined, UnlockOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, DatePicker, Empty, Result, Row, Spin, Statistic, Table, Tag,
  Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { lazy, Suspense, useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { compareAmounts, isSensitiveLocked, isUnlocked, QUICK_RANGES, quickRange, unlockedUntil } from "../../lib/analysis";
import type { Period } from "../../lib/analysis";
import { formatDate } from "../../lib/dates";
import { yuan } from "../../lib/money";
import { useAuth } from "../../shared/auth";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { CustomerAmounts } from "./analysis/CustomerAmounts";
import { ModelDrawer } from "./analysis/ModelDrawer";
import { UnlockDialog } from "./analysis/UnlockDialog";

type ModelAmount = Schemas["ModelAmount"];

const TopCustomersChart = lazy(() => import("./analysis/TopCustomersChart"));
const DAY = "YYYY-MM-DD";

/** 汇总分析 (A-2, X-3, C-7): the period's order total, the amount per customer and the
 *  consumables by model, behind the query password; staff bound to areas see theirs. */
export function AnalysisPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const today = formatDate(new Date()); // the business date (Asia/Shanghai), not the browser's
  const [period, setPeriod] = useState<Period>(() => quickRange("thisMonth", today));
  const [from, to] = period;
  const [until, setUntil] = useState(me?.sensitive_until ?? null);
  const [unlocking, setUnlocking] = useState(false);
  const [model, setModel] = useState<string>();
  const [tick, setTick] = useState(0);
  const relock = useCallback(() => { setModel(undefined); setUntil(null); setTick((n) => n + 1); }, []);

  const summary = useLoad(() => unwrap(api.GET("/api/console/analysis/summary", {
    params: { query: { from, to } } })), [from, to, tick]);
  const consumables = useLoad(() => unwrap(api.GET("/api/console/analysis/consumables", {
    params: { query: { from, to } } })), [from, to, tick]);
  const locked = isSensitiveLocked(summary.error) || isSensitiveLocked(consumables.error);
  const s = summary.error ? undefined : summary.data;
  const c = consumables.error ? undefined : consumables.data;

  const presets = QUICK_RANGES.map((r) => {
    const [a, b] = quickRange(r, today);
    return { label: t(`analysis.quick.${r}`), value: [dayjs(a), dayjs(b)] as [Dayjs, Dayjs] };
  });

  return (
    <>
      <PageTitle title={t("analysis.title")} sub={t("analysis.sub")} extra={<>
        {!locked && isUnlocked(until) && (
          <Tag icon={<UnlockOutlined />} color="success" data-testid="unlocked-until">
            {t("analysis.unlockedUntil", { time: unlockedUntil(until) })}</Tag>)}
        <DatePicker.RangePicker allowClear={false} presets={presets} value={[dayjs(from), dayjs(to)]}
          aria-label={t("analysis.period")} data-testid="analysis-period"
          onChange={(v) => { if (v?.[0] && v[1]) setPeriod([v[0].format(DAY), v[1].format(DAY)]); }} />
      </>} />

      {locked ? (
        <Card data-testid="analysis-locked">
          <Result icon={<LockOutlined />} status="warning" title={t("analysis.locked.title")}
            subTitle={t("analysis.locked.text")}
            extra={<Button type="primary" icon={<UnlockOutlined />} onClick={() => setUnlocking(true)}>
              {t("analysis.locked.unlock")}</Button>} />
        </Card>
      ) : (<>
        <ErrorAlert error={summary.error ?? consumables.error} />
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          {([["totalAmount", s && yuan(s.total_amount)], ["orderCount", s?.order_count],
            ["customerCount", s?.customer_count]] as const).map(([key, value]) => (
            <Col xs={24} sm={8} key={key}>
              <Card loading={summary.loading && !s} data-testid={`card-${key}`}>
                <Statistic title={t(`analysis.cards.${key}`)} value={value ?? "—"} />
              </Card>
            </Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary">{t("analysis.excluded")}</Typography.Paragraph>

        {s && s.customers.length > 0 && (
          <Card title={t("analysis.chart.title")} style={{ marginBottom: 16 }}>
            <Suspense fallback={<Spin />}><TopCustomersChart customers={s.customers} /></Suspense>
          </Card>
        )}

        <Card title={t("analysis.customers.title")} style={{ marginBottom: 16 }} styles={{ body: { padding: 0 } }}>
          <CustomerAmounts rows={s?.customers} loading={summary.loading} testId="customer-amounts"
            empty={t("analysis.customers.empty")} />
        </Card>

        <Card title={t("analysis.consumables.title")} styles={{ body: { padding: 0 } }}
          extra={c && c.models.length > 0 && <Typography.Text type="secondary" data-testid="consumables-total">
            {t("analysis.consumables.total", { quantity: c.total_quantity, amount: yuan(c.total_amount) })}</Typography.Text>}>
          <Typography.Paragraph type="secondary" style={{ margin: "12px 16px 0" }}>
            {t("analysis.consumables.hint")}</Typography.Paragraph>
          <Table<ModelAmount> rowKey="model" loading={consumables.loading} dataSource={c?.models}
            data-testid="consumables-table" locale={{ emptyText: <Empty description={t("analysis.consumables.empty")} /> }}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }} scroll={{ x: 600 }}
            onRow={(m) => ({ onClick: () => setModel(m.model), style: { cursor: "pointer" } })}
            columns={[
              { title: t("analysis.consumables.model"), dataIndex: "model", width: 180, ellipsis: true,
                sorter: (a, b) => a.model.localeCompare(b.model),
                render: (v: string) => <Button type="link" size="small" style={{ padding: 0 }} title={v}
                  data-testid="model-link">{v}</Button> },
              { title: t("analysis.consumables.name"), dataIndex: "name", ellipsis: true },
              { title: t("analysis.consumables.quantity"), dataIndex: "quantity", width: 110, align: "right",
                sorter: (a, b) => a.quantity - b.quantity },
              { title: t("analysis.consumables.amount"), dataIndex: "amount", width: 150, align: "right",
                sorter: (a, b) => compareAmounts(a.amount, b.amount),
                render: (v: string) => <Money value={v} /> },
            ]} />
        </Card>
      </>)}

      <ModelDrawer model={model} period={period} onClose={() => setModel(undefined)} onLocked={relock} />
      <UnlockDialog open={unlocking} onClose={() => setUnlocking(false)} onUnlocked={(end) => {
        setUnlocking(false);
        setUntil(end);
        void message.success(t("analysis.unlock.done"));
        setTick((n) => n + 1);
      }} />
    </>
  );
}
