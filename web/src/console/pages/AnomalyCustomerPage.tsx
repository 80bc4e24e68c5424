import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Drawer, Empty, Row, Skeleton, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { when } from "../../lib/orders";
import { useAuth } from "../../shared/auth";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, OrderStatusTag, PageTitle } from "../../shared/ui";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";
import { CustomerConsumables } from "./anomalies/CustomerConsumables";
import { FollowUpForm } from "./anomalies/FollowUpForm";
import { CycleText, ProcessingTag, StandingTag } from "./anomalies/parts";
import { useReasonText } from "./anomalies/text";

type Detail = Schemas["AnomalyDetail"];
type RecentOrder = Schemas["RecentOrder"];
type Step = Schemas["CycleStep"];
type FollowUp = Schemas["FollowUpOut"];

/** Table 2 of 异常分析 (A-3, A-4, B-6, C-7): one customer's details, whether it orders
 *  within its cycle and why, its recent orders, the cycle history, the follow-up log with
 *  a form to add one, and its consumables of the last year behind the query password. */
export function AnomalyCustomerPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/analysis/anomalies";
  const detail = useLoad(() => unwrap(api.GET("/api/console/analysis/anomalies/{customer_id}", {
    params: { path: { customer_id: id } } })), [id]);
  const d = detail.data;

  return (
    <>
      <PageTitle title={d ? d.customer.name : t("anomalies.detail.title")}
        sub={d && <Space size={4}><span>{d.customer.customer_number}</span><StandingTag status={d.standing.status} /></Space>}
        extra={<Button icon={<ArrowLeftOutlined />} onClick={() => navigate(from)}>{t("anomalies.detail.back")}</Button>} />
      <ErrorAlert error={detail.error} />
      {!d ? (!detail.error && <Skeleton active />) : (
        <Space direction="vertical" size={16} style={{ width: "100%" }}>
          <Standing detail={d} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}><RecentOrders rows={d.recent_orders} /></Col>
            <Col xs={24} xl={12}><CycleHistory rows={d.cycle_history} /></Col>
          </Row>
          <FollowUps detail={d} customerId={id} onAdded={detail.reload} />
          <CustomerConsumables customerId={id} />
        </Space>
      )}
    </>
  );
}

function Standing({ detail: d }: { detail: Detail }) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const c = d.customer;
  const s = d.standing;
  const abnormal = s.status === "abnormal";
  return (
    <Card title={t("anomalies.detail.status")} data-testid="customer-standing">
      <Alert showIcon type={abnormal ? "error" : "success"} style={{ marginBottom: 16 }}
        data-testid="standing-reason"
        message={<Space wrap><StandingTag status={s.status} /><span>{reasonText(s, c.cycle)}</span></Space>} />
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="customer-info">
        <Descriptions.Item label={t("anomalies.detail.number")}>{c.customer_number ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.name")}>{c.name}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.area")}>{c.area ?? t("anomalies.noArea")}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.grade")}>{t(`grade.${c.grade}`, c.grade)}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.machines")}>{c.machines}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.cycle")}><CycleText cycle={c.cycle} /></Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.cycleSince")}>{c.cycle_since ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.lastOrder")}>{s.last_order_date ?? t("anomalies.never")}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.expected")}>{s.expected_date ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.overdue")}>
          {abnormal ? <Typography.Text type="danger" data-testid="detail-days-overdue">
            {t("anomalies.overdueDays", { n: s.days_overdue })}</Typography.Text> : "—"}</Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.usualValue")}><Money value={d.usual_value} /></Descriptions.Item>
        <Descriptions.Item label={t("anomalies.detail.processing")}>
          {d.processing_status ? <ProcessingTag status={d.processing_status} /> : "—"}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function RecentOrders({ rows }: { rows: RecentOrder[] }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canOrders = has(me?.permissions, "orders:query");
  const [viewing, setViewing] = useState<string>();
  return (
    <Card title={t("anomalies.orders.title")} styles={{ body: { padding: 0 } }} style={{ height: "100%" }}>
      <Table<RecentOrder> rowKey="id" dataSource={rows} pagination={false} size="small" scroll={{ x: 480 }}
        data-testid="recent-orders" locale={{ emptyText: <Empty description={t("anomalies.orders.empty")} /> }}
        columns={[
          { title: t("anomalies.orders.number"), dataIndex: "number",
            render: (v: string, o) => (canOrders
              ? <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setViewing(o.id)}>{v}</Button> : v) },
          { title: t("anomalies.orders.date"), dataIndex: "order_date", width: 120 },
          { title: t("anomalies.orders.status"), dataIndex: "status", width: 110,
            render: (s: string) => <OrderStatusTag status={s} /> },
          { title: t("anomalies.orders.total"), dataIndex: "total", align: "right", width: 130,
            render: (v: string) => <Money value={v} /> },
        ]} />
      <Drawer open={!!viewing} width={Math.min(960, window.innerWidth)} onClose={() => setViewing(undefined)}
        title={t("orders.detail")} destroyOnHidden>
        {viewing && <ConsoleOrderDetail id={viewing} />}
      </Drawer>
    </Card>
  );
}

function CycleHistory({ rows }: { rows: Step[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t("anomalies.history.title")} styles={{ body: { padding: 0 } }} style={{ height: "100%" }}>
      <Typography.Paragraph type="secondary" style={{ margin: "12px 16px 8px" }}>{t("anomalies.history.hint")}</Typography.Paragraph>
      <Table<Step> rowKey={(s) => `${s.order_number}-${s.order_date}`} dataSource={rows} pagination={false} size="small"
        scroll={{ x: 520 }} data-testid="cycle-history"
        locale={{ emptyText: <Empty description={t("anomalies.history.empty")} /> }}
        columns={[
          { title: t("anomalies.history.date"), dataIndex: "order_date", width: 120 },
          { title: t("anomalies.history.number"), dataIndex: "order_number" },
          { title: t("anomalies.history.interval"), dataIndex: "days_since_previous", align: "right", width: 100,
            render: (n: number | null) => (n == null ? "—" : t("anomalies.history.days", { n })) },
          { title: t("anomalies.history.expected"), dataIndex: "expected_date", width: 120,
            render: (v: string | null) => v ?? "—" },
          { title: t("anomalies.history.judged"), dataIndex: "late", width: 90,
            render: (late: boolean | null) => (late == null ? <Tag>{t("anomalies.history.first")}</Tag>
              : late ? <Tag color="error">{t("anomalies.history.late")}</Tag>
                : <Tag color="success">{t("anomalies.history.onTime")}</Tag>) },
        ]} />
    </Card>
  );
}

function FollowUps({ detail: d, customerId, onAdded }: { detail: Detail; customerId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const abnormal = d.standing.status === "abnormal";
  return (
    <Card title={t("anomalies.followUps.title")} data-testid="follow-ups">
      {abnormal && d.standing.expected_date
        ? <FollowUpForm customerId={customerId} expected={d.standing.expected_date} onAdded={onAdded} />
        : <Typography.Paragraph type="secondary" data-testid="follow-up-none">{t("anomalies.followUps.notOverdue")}</Typography.Paragraph>}
      <Table<FollowUp> rowKey="id" dataSource={d.follow_ups} pagination={d.follow_ups.length > 10 ? { pageSize: 10 } : false}
        size="small" scroll={{ x: 760 }} data-testid="follow-up-log"
        locale={{ emptyText: <Empty description={t("anomalies.followUps.empty")} /> }}
        columns={[
          { title: t("anomalies.followUps.at"), dataIndex: "recorded_at", width: 150, render: (v: string) => when(v) },
          { title: t("anomalies.followUps.status"), dataIndex: "status", width: 100,
            render: (s: string) => <ProcessingTag status={s} /> },
          { title: t("anomalies.followUps.note"), dataIndex: "note", render: (v: string | null) => v ?? "—" },
          { title: t("anomalies.followUps.due"), dataIndex: "due_date", width: 140, render: (v: string | null) => v ?? "—" },
          { title: t("anomalies.followUps.by"), dataIndex: "recorded_by", width: 120 },
        ]} />
    </Card>
  );
}
