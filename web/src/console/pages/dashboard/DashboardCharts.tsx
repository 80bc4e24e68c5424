import { LockOutlined, UnlockOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, DatePicker, Row, Space, Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import type { Period } from "../../../lib/analysis";
import { DASHBOARD_RANGES, dashboardRange, DEFAULT_RANGE } from "../../../lib/dashboard";
import { yuan } from "../../../lib/money";
import { useLoad } from "../../../shared/hooks";
import { ErrorAlert } from "../../../shared/ui";
import { UnlockDialog } from "../analysis/UnlockDialog";
import { AnomaliesPanel, AreasPanel, ConsumablesPanel, GradesPanel, MonthlyPanel } from "./panels";

const DAY = "YYYY-MM-DD";

/** The console home's charts for staff holding reports:query: orders and amount per
 *  month and per area, the top consumables, customers by grade and the customers past
 *  their ordering cycle over time, for a period the user picks. Amounts show once the
 *  query password is entered; staff bound to areas see theirs (C-7, server side). */
export function DashboardCharts() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const today = dayjs().format(DAY);
  const [period, setPeriod] = useState<Period>(() => dashboardRange(DEFAULT_RANGE, today));
  const [from, to] = period;
  const [unlocking, setUnlocking] = useState(false);
  const figures = useLoad(() => unwrap(api.GET("/api/console/analysis/dashboard", {
    params: { query: { from, to } } })), [from, to]);
  const f = figures.error ? undefined : figures.data;

  const presets = DASHBOARD_RANGES.map((r) => {
    const [a, b] = dashboardRange(r, today);
    return { label: t(`dashboardCharts.quick.${r}`), value: [dayjs(a), dayjs(b)] as [Dayjs, Dayjs] };
  });

  return (
    <section data-testid="dashboard-charts" style={{ marginTop: 24 }}>
      <div className="page-title">
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>{t("dashboardCharts.title")}</Typography.Title>
          <Typography.Text type="secondary">{t("dashboardCharts.sub")}</Typography.Text>
        </div>
        <Space wrap>
          {f && (
            <Typography.Text type="secondary" data-testid="dashboard-totals">
              {f.amount == null ? t("dashboardCharts.totals", { orders: f.order_count })
                : t("dashboardCharts.totalsAmount", { orders: f.order_count, amount: yuan(f.amount) })}
            </Typography.Text>
          )}
          <DatePicker.RangePicker allowClear={false} presets={presets} value={[dayjs(from), dayjs(to)]}
            aria-label={t("dashboardCharts.period")} data-testid="dashboard-period"
            onChange={(v) => { if (v?.[0] && v[1]) setPeriod([v[0].format(DAY), v[1].format(DAY)]); }} />
        </Space>
      </div>

      <ErrorAlert error={figures.error} />
      {f?.amounts_locked && (
        <Alert type="info" showIcon icon={<LockOutlined />} style={{ marginBottom: 16 }}
          data-testid="dashboard-amounts-locked" message={t("dashboardCharts.locked.text")}
          action={<Button size="small" type="primary" icon={<UnlockOutlined />}
            onClick={() => setUnlocking(true)}>{t("dashboardCharts.locked.unlock")}</Button>} />
      )}

      {!f ? (figures.loading && <Card loading />) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}><MonthlyPanel figures={f} /></Col>
          <Col xs={24} md={12} xl={8}><GradesPanel figures={f} /></Col>
          <Col xs={24} md={12} xl={8}><AreasPanel figures={f} /></Col>
          <Col xs={24} xl={16}><ConsumablesPanel figures={f} /></Col>
          <Col xs={24}><AnomaliesPanel figures={f} /></Col>
        </Row>
      )}

      <UnlockDialog open={unlocking} onClose={() => setUnlocking(false)} onUnlocked={() => {
        setUnlocking(false);
        void message.success(t("analysis.unlock.done"));
        figures.reload();
      }} />
    </section>
  );
}
