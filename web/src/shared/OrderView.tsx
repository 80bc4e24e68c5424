import { Alert, Card, Descriptions, Grid, List, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { formatYuan, toCents, yuan } from "../lib/money";
import { orderPayable, orderPoints, paysWithPoints } from "../lib/points";
import { CreditHoldNotice, CreditHoldTag, PortalHoldTag } from "./credit";
import { PointsStatusTag } from "./Points";
import { Money, OrderStatusTag, PaymentStatusTag } from "./ui";

type Order = Schemas["OrderOut"];
type Line = Schemas["OrderLineOut"];
type Payment = Schemas["PaymentOut"];

/** One order with its lines and payments (portal and console); `payments={false}` leaves the
 * payments out where the page shows the order's ledger instead (shared/Ledger); `onChanged`
 * reloads the page's data after staff released the order's credit hold. */
export function OrderView({ order, showCustomer = false, payments = true, onChanged }:
    { order: Order; showCustomer?: boolean; payments?: boolean; onChanged?: () => void }) {
  const { t } = useTranslation();
  const saving = toCents(order.list_total) - toCents(order.total);
  const shipped = order.lines.some((l) => l.shipped_quantity > 0);
  const points = orderPoints(order);
  const withPoints = paysWithPoints(order);
  // A rejected or cancelled order owes nothing (issue 15): no amount outstanding is shown.
  const owed = order.status !== "rejected" && order.status !== "cancelled";
  const phone = Grid.useBreakpoint().md === false;
  const totals = (
    <Space wrap>
      <Typography.Text type="secondary">{t("order.listTotal")} <Money value={order.list_total} del /></Typography.Text>
      {saving > 0n && <Typography.Text type="success">{t("order.saving")} {formatYuan(saving)}</Typography.Text>}
      <Typography.Text strong style={withPoints ? undefined : { fontSize: 16, color: "#cf1322" }} className="money">{yuan(order.total)}</Typography.Text>
      {withPoints && <>
        <Typography.Text type="success">{t("points.use.deduction")} −{formatYuan(BigInt(points?.points ?? 0) * 100n)}</Typography.Text>
        <Typography.Text>{t("points.use.payable")}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 16, color: "#cf1322" }} className="money">{yuan(orderPayable(order))}</Typography.Text>
      </>}
    </Space>
  );
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <CreditHoldNotice order={order} side={showCustomer ? "console" : "portal"} onChanged={onChanged} />
      {order.status === "rejected" && order.review_reason && (
        <Alert type="error" showIcon message={t("orders.rejectedReason")} description={order.review_reason} />
      )}
      {order.cancel_reason && (
        <Alert type="warning" showIcon message={t("lc.cancelReason")} description={order.cancel_reason} />
      )}
      <Card>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t("field.order_number")}>{order.number}</Descriptions.Item>
          <Descriptions.Item label={t("field.status")}><OrderStatusTag status={order.status} />
            {showCustomer ? <CreditHoldTag order={order} /> : <PortalHoldTag order={order} />}</Descriptions.Item>
          {showCustomer && <Descriptions.Item label={t("field.customer")}>{order.customer_name}</Descriptions.Item>}
          <Descriptions.Item label={t("field.order_date")}>{order.order_date}</Descriptions.Item>
          <Descriptions.Item label={t("field.delivery_date")}>{order.delivery_date}</Descriptions.Item>
          <Descriptions.Item label={t("field.bill_type")}>{t(`billType.${order.bill_type}`)}</Descriptions.Item>
          <Descriptions.Item label={t("field.payment_status")}><PaymentStatusTag status={order.payment_status} orderStatus={order.status} /></Descriptions.Item>
          {points && <Descriptions.Item label={t("points.orderDeduction")}>
            <Space size={4} wrap>
              <Typography.Text className="money" data-testid="order-points" type={points.applied ? "success" : "secondary"}
                delete={points.status === "refused" || points.status === "released"}>
                −{formatYuan(BigInt(points.points) * 100n)}</Typography.Text>
              <PointsStatusTag status={points.status} reason={points.reason} />
            </Space></Descriptions.Item>}
          {points && <Descriptions.Item label={t("points.payable")}>
            <span data-testid="order-payable"><Money value={orderPayable(order)} strong /></span></Descriptions.Item>}
          <Descriptions.Item label={t("field.paid_total")}><Money value={order.paid_total} /></Descriptions.Item>
          {owed && <Descriptions.Item label={t("field.outstanding")}>
            <span data-testid="order-outstanding"><Money value={order.outstanding} /></span></Descriptions.Item>}
          <Descriptions.Item label={t("field.due_date")}>
            <span data-testid="order-due-date">{order.due_date ?? "—"}</span>
            {order.overdue && <Tag color="red" style={{ marginLeft: 8 }}>{t("orders.overdue")}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t("field.remark")}>{order.remark || "—"}</Descriptions.Item>
          {order.reviewed_by && <Descriptions.Item label={t("orders.reviewedBy")}>{order.reviewed_by}</Descriptions.Item>}
          {showCustomer && <Descriptions.Item label={t("lc.source")}>{t(`lc.sourceName.${order.source}`, order.source)} · {order.created_by}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t("order.lines")} styles={{ body: { padding: phone ? "0 12px" : 0 } }}>
        {phone ? <>
          <List<Line> dataSource={order.lines} rowKey="product_id" data-testid="order-lines" renderItem={(l) => (
            <List.Item>
              <div style={{ width: "100%" }}>
                <div className="order-line-item">
                  <span className="order-line-name"><Typography.Text strong>{l.name}</Typography.Text>{" "}
                    <Typography.Text type="secondary">{l.model}</Typography.Text></span>
                  <Money value={l.line_total} strong />
                </div>
                <Typography.Text type="secondary">{l.quantity} × <span className="money">{yuan(l.unit_price)}</span>
                  {shipped && ` · ${t("lc.qtyShipped")} ${l.shipped_quantity} · ${t("lc.qtyReceived")} ${l.received_quantity}`
                    + (l.returned_quantity ? ` · ${t("lc.qtyReturned")} ${l.returned_quantity}` : "")}</Typography.Text>
              </div>
            </List.Item>)} />
          <div style={{ padding: "12px 0", textAlign: "right" }}>{totals}</div>
        </> : <Table<Line> rowKey="product_id" dataSource={order.lines} pagination={false} scroll={{ x: 560 }}
          columns={[
            { title: t("field.product"), dataIndex: "name" },
            { title: t("field.model"), dataIndex: "model" },
            { title: t("field.quantity"), dataIndex: "quantity", align: "right" },
            { title: t("field.list_price"), dataIndex: "list_price", align: "right", responsive: ["sm"], render: (v: string | null) => <Money value={v} del /> },
            { title: t("field.unit_price"), dataIndex: "unit_price", align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("order.lineTotal"), dataIndex: "line_total", align: "right", render: (v: string) => <Money value={v} strong /> },
            ...(shipped ? [
              { title: t("lc.qtyShipped"), dataIndex: "shipped_quantity", align: "right" as const },
              { title: t("lc.qtyReceived"), dataIndex: "received_quantity", align: "right" as const },
              { title: t("lc.qtyReturned"), dataIndex: "returned_quantity", align: "right" as const },
            ] : []),
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}><Typography.Text strong>{t("order.total")}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={2} colSpan={shipped ? 7 : 4} align="right">
                {totals}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />}
      </Card>
      {payments && order.payments.length > 0 && (
        <Card title={t("orders.payments")} styles={{ body: { padding: 0 } }}>
          <Table<Payment> rowKey="id" dataSource={order.payments} pagination={false} scroll={{ x: 480 }}
            columns={[
              { title: t("field.paid_on"), dataIndex: "paid_on" },
              { title: t("field.amount"), dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} /> },
              { title: t("field.method"), dataIndex: "method", render: (m: string) => t([`paymentMethod.${m}`, `pay.method.${m}`], m) },
              { title: t("field.reference"), dataIndex: "reference" },
            ]} />
        </Card>
      )}
    </Space>
  );
}
