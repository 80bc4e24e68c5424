import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useState } from "react";
import { Button, Card, Grid, List, Select, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { toCents, yuan } from "../../lib/money";
import { ORDER_STATUSES, allMyOrders } from "../../lib/orders";
import { orderPayable, paysWithPoints } from "../../lib/points";
import type { OrderSummary } from "../../lib/orders";
import { PortalHoldTag } from "../../shared/credit";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, OrderStatusTag, PageTitle, PaymentStatusTag } from "../../shared/ui";

/** My orders with their status (O-2), sortable and filterable. */
export function OrdersPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const orders = useLoad(allMyOrders, []);
  const [filters, setFilters] = useState<{ status?: string[]; pay?: string[] }>({});
  const exportUrl = () => {
    const q = new URLSearchParams();
    for (const s of filters.status ?? []) q.append("status", s);
    const pay = filters.pay ?? [];
    if (pay.length === 1 && pay[0] === "paid") q.set("paid", "true");
    if (pay.length && !pay.includes("paid")) q.set("paid", "false");
    q.set("lang", i18n.language.startsWith("zh") ? "zh" : "en");
    return `/api/portal/orders/export.xlsx?${q.toString()}`;
  };
  const statuses = ORDER_STATUSES.filter((s) => orders.data?.items.some((o) => o.status === s));
  const screens = Grid.useBreakpoint();
  // At phone width (issue 15) the orders are cards: number, date, amount and status at a glance.
  const phone = screens.md === false;
  const shown = (orders.data?.items ?? []).filter((o) => !filters.status?.length || filters.status.includes(o.status));
  return (
    <>
      <PageTitle title={t("orders.title")}
        extra={<><Button icon={<DownloadOutlined />} href={exportUrl()} data-testid="export-orders">{t("lc.export")}</Button><Link to="/orders/new"><Button type="primary" icon={<PlusOutlined />}>{t("portal.menu.newOrder")}</Button></Link></>} />
      <ErrorAlert error={orders.error} />
      {phone ? (
        <>
          {statuses.length > 1 && <Select mode="multiple" allowClear style={{ width: "100%", marginBottom: 12 }}
            placeholder={t("field.status")} aria-label={t("field.status")} value={filters.status ?? []}
            onChange={(v: string[]) => setFilters((f) => ({ ...f, status: v.length ? v : undefined }))}
            options={statuses.map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))} />}
          <List<OrderSummary> className="order-cards" loading={orders.loading} dataSource={shown}
            pagination={shown.length > 20 ? { pageSize: 20, size: "small", showTotal: (n) => t("common.total", { n }) } : false}
            renderItem={(o) => <List.Item key={o.id}><OrderCard order={o} onOpen={() => navigate(`/orders/${o.id}`)} /></List.Item>} />
        </>
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<OrderSummary>
            rowKey="id"
            loading={orders.loading}
            dataSource={orders.data?.items}
            scroll={{ x: 520 }}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
            onChange={(_p, f) => setFilters({ status: f.status as string[] | undefined, pay: f.payment_status as string[] | undefined })}
            onRow={(o) => ({ onClick: () => navigate(`/orders/${o.id}`), style: { cursor: "pointer" } })}
            columns={[
              { title: t("field.order_number"), dataIndex: "number", render: (v: string, o) => <Link to={`/orders/${o.id}`}>{v}</Link> },
              { title: t("field.order_date"), dataIndex: "order_date", defaultSortOrder: "descend",
                sorter: (a, b) => a.order_date.localeCompare(b.order_date) || a.created_at.localeCompare(b.created_at) },
              { title: t("field.delivery_date"), dataIndex: "delivery_date", responsive: ["sm"],
                sorter: (a, b) => a.delivery_date.localeCompare(b.delivery_date) },
              { title: t("field.status"), dataIndex: "status",
                filters: statuses.map((s) => ({ text: t(`orderStatus.${s}`), value: s })),
                onFilter: (v, o) => o.status === v, render: (s: string, o) => <><OrderStatusTag status={s} /><PortalHoldTag order={o} /></> },
              { title: t("field.total"), dataIndex: "total", align: "right",
                sorter: (a, b) => Number(toCents(a.total) - toCents(b.total)),
                render: (v: string, o) => paysWithPoints(o)
                  ? <><Money value={v} strong /><br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("points.use.payable")} <span className="money">{yuan(orderPayable(o))}</span></Typography.Text></>
                  : <Money value={v} strong /> },
              { title: t("field.payment_status"), dataIndex: "payment_status", responsive: ["md"],
                filters: ["unpaid", "partially_paid", "paid"].map((s) => ({ text: t(`paymentStatus.${s}`), value: s })),
                onFilter: (v, o) => o.payment_status === v, render: (s: string, o) => <PaymentStatusTag status={s} orderStatus={o.status} /> },
              { title: t("field.due_date"), dataIndex: "due_date", responsive: ["md"],
                render: (v: string | null, o) => <>{v ?? "—"}{o.overdue && <Tag color="red" style={{ marginLeft: 6 }}>{t("orders.overdue")}</Tag>}</> },
              { title: t("field.invoiced"), dataIndex: "invoiced", responsive: ["lg"],
                render: (v: boolean) => v ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag> },
            ]}
          />
        </Card>
      )}
    </>
  );
}

/** One order at phone width: number and status, then date, amount to pay and payment status. */
function OrderCard({ order: o, onOpen }: { order: OrderSummary; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="order-card" data-testid="order-card" onClick={onOpen}>
      <div className="order-card-head">
        <Link to={`/orders/${o.id}`} className="order-card-number" onClick={(e) => e.stopPropagation()}>{o.number}</Link>
        <span><OrderStatusTag status={o.status} /><PortalHoldTag order={o} /></span>
      </div>
      <div className="order-card-row">
        <span><span className="label">{t("field.order_date")}</span>{o.order_date}</span>
        <span data-testid="order-card-amount">{paysWithPoints(o)
          ? <><span className="label">{t("points.use.payable")}</span><Typography.Text strong className="money">{yuan(orderPayable(o))}</Typography.Text></>
          : <Money value={o.total} strong />}</span>
      </div>
      <div className="order-card-row">
        <span><span className="label">{t("field.delivery_date")}</span>{o.delivery_date}</span>
        <span><PaymentStatusTag status={o.payment_status} orderStatus={o.status} />
          {o.overdue && <Tag color="red" style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>{t("orders.overdue")}</Tag>}</span>
      </div>
    </Card>
  );
}
