import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { useState } from "react";
import { Button, Card, Table, Tag, Typography } from "antd";
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
  return (
    <>
      <PageTitle title={t("orders.title")}
        extra={<><Button icon={<DownloadOutlined />} href={exportUrl()} data-testid="export-orders">{t("lc.export")}</Button><Link to="/orders/new"><Button type="primary" icon={<PlusOutlined />}>{t("portal.menu.newOrder")}</Button></Link></>} />
      <ErrorAlert error={orders.error} />
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
              onFilter: (v, o) => o.payment_status === v, render: (s: string) => <PaymentStatusTag status={s} /> },
            { title: t("field.due_date"), dataIndex: "due_date", responsive: ["md"],
              render: (v: string | null, o) => <>{v ?? "—"}{o.overdue && <Tag color="red" style={{ marginLeft: 6 }}>{t("orders.overdue")}</Tag>}</> },
            { title: t("field.invoiced"), dataIndex: "invoiced", responsive: ["lg"],
              render: (v: boolean) => v ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag> },
          ]}
        />
      </Card>
    </>
  );
}
