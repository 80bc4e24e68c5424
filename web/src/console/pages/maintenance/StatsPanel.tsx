import { Card, Col, Empty, InputNumber, Row, Space, Spin, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import type { Schemas } from "../../../api/client";
import { useLoad } from "../../../shared/hooks";
import { ErrorAlert } from "../../../shared/ui";
import { CustomerSelect } from "../../CustomerSelect";
import { KindTag } from "./parts";

export type Stats = Schemas["Stats"];
type CategoryCount = Schemas["CategoryCount"];
type MonthWorkload = Schemas["MonthWorkload"];
type EngineerWorkload = Schemas["EngineerWorkload"];

const Charts = lazy(() => import("./Charts"));

/** 查询统计's statistics for a year (and optionally one customer): records by category,
 *  the monthly workload and each engineer's, as tables and charts. */
export function StatsPanel() {
  const { t } = useTranslation();
  const [year, setYear] = useState(new Date().getFullYear());
  const [customerId, setCustomerId] = useState<string>();
  const stats = useLoad(() => unwrap(api.GET("/api/console/maintenance/stats", { params: { query: {
    year, customer_id: customerId } } })), [year, customerId]);
  const s = stats.data;
  return (
    <Card title={t("maintenance.stats.title")} data-testid="maintenance-stats" extra={
      <Space wrap>
        <InputNumber min={2000} max={2099} precision={0} value={year} addonBefore={t("maintenance.stats.year")}
          onChange={(v) => { if (typeof v === "number" && v >= 2000 && v <= 2099) setYear(v); }}
          data-testid="stats-year" aria-label={t("maintenance.stats.year")} style={{ width: 150 }} />
        <CustomerSelect value={customerId} placeholder={t("maintenance.stats.allCustomers")}
          style={{ width: 260, maxWidth: "100%" }} data-testid="stats-customer"
          onChange={(v) => setCustomerId(typeof v === "string" ? v : undefined)} />
      </Space>}>
      <ErrorAlert error={stats.error} />
      {s && <Typography.Paragraph data-testid="stats-total">
        {t("maintenance.stats.total", { year: s.year, n: s.records })}</Typography.Paragraph>}
      {s && s.records > 0 && <Suspense fallback={<Spin />}><Charts stats={s} /></Suspense>}
      {s && s.records === 0 && <Empty description={t("maintenance.stats.none")} />}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={8}>
          <Typography.Title level={5}>{t("maintenance.stats.byCategory")}</Typography.Title>
          <Table<CategoryCount> size="small" pagination={false} loading={stats.loading} data-testid="stats-by-category"
            rowKey={(c) => `${c.kind}-${c.category_id ?? "none"}`} dataSource={s?.by_category}
            columns={[
              { title: t("maintenance.category"), dataIndex: "name",
                render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("maintenance.stats.uncategorised")}</Typography.Text> },
              { title: t("maintenance.kindLabel"), dataIndex: "kind", width: 90, render: (k: string) => <KindTag kind={k} /> },
              { title: t("maintenance.stats.records"), dataIndex: "records", width: 70, align: "right" },
            ]} />
        </Col>
        <Col xs={24} lg={8}>
          <Typography.Title level={5}>{t("maintenance.stats.byMonth")}</Typography.Title>
          <Table<MonthWorkload> size="small" pagination={false} loading={stats.loading} data-testid="stats-by-month"
            rowKey="month" dataSource={s?.by_month}
            columns={[
              { title: t("maintenance.stats.month"), dataIndex: "month" },
              { title: t("maintenance.stats.customers"), dataIndex: "customers", align: "right" },
              { title: t("maintenance.stats.repairs"), dataIndex: "repairs", align: "right" },
              { title: t("maintenance.stats.returnVisits"), dataIndex: "return_visits", align: "right" },
            ]} />
        </Col>
        <Col xs={24} lg={8}>
          <Typography.Title level={5}>{t("maintenance.stats.byEngineer")}</Typography.Title>
          <Table<EngineerWorkload> size="small" pagination={false} loading={stats.loading} data-testid="stats-by-engineer"
            rowKey={(e) => `${e.engineer ?? ""}-${e.month}`} dataSource={s?.by_engineer}
            columns={[
              { title: t("maintenance.engineer"), dataIndex: "engineer",
                render: (v: string | null) => v ?? <Tag>{t("maintenance.stats.noEngineer")}</Tag> },
              { title: t("maintenance.stats.month"), dataIndex: "month" },
              { title: t("maintenance.stats.customers"), dataIndex: "customers", align: "right" },
              { title: t("maintenance.stats.records"), dataIndex: "records", align: "right" },
            ]} />
        </Col>
      </Row>
    </Card>
  );
}
