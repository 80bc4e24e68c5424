import { Card, Descriptions, Empty, Space, Table, Tag, Timeline, Typography } from "antd";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { yuan } from "../lib/money";
import { when } from "../lib/orders";
import { Money, OrderStatusTag } from "./ui";

type Entry = Schemas["TimelineEntry"];
type Shipment = Schemas["ShipmentOut"];
type Return = Schemas["ReturnOut"];


const COLORS: Record<string, string> = {
  rejected: "red", cancelled: "gray", cancellation_requested: "orange", return_requested: "orange",
  shipped: "cyan", received: "blue", completed: "green", approved: "green",
  points_reserved: "purple", points_redeemed: "green", points_refused: "red", points_released: "gray",
};

/** What a points step of the order's saga (P-2) did, in the user's language, from its data
 * (the API's note on a refusal is English); null for other entries. */
function pointsNote(e: Entry, t: TFunction): string | null {
  const points = typeof e.data?.points === "number" ? e.data.points : null;
  const reason = typeof e.data?.reason === "string" ? t(`points.reasons.${e.data.reason}`, e.data.reason) : null;
  if (e.action === "submitted") {
    const asked = e.data?.points_requested;
    return typeof asked === "number" && asked > 0 ? t("points.timeline.requested", { points: asked }) : null;
  }
  if (!e.action.startsWith("points_") || points == null) return null;
  if (e.action === "points_reserved" && typeof e.data.payable === "string") {
    return t("points.timeline.reserved", { points, payable: yuan(e.data.payable) });
  }
  return reason ? t("points.timeline.withReason", { points, reason }) : t("points.timeline.points", { points });
}

/** Every change of an order: who, when, what (O-11, N-5). */
export function OrderTimeline({ entries, loading }: { entries: Entry[] | undefined; loading?: boolean }) {
  const { t } = useTranslation();
  const note = (e: Entry) => {
    const points = pointsNote(e, t);
    if (!points) return e.note;
    return e.action === "submitted" && e.note ? `${e.note} · ${points}` : points;
  };
  return (
    <Card title={t("lc.timeline")} loading={loading && !entries} data-testid="order-timeline">
      {entries && entries.length === 0 ? <Empty /> : (
        <Timeline items={(entries ?? []).map((e) => ({
          color: COLORS[e.action] ?? "blue",
          children: (
            <Space direction="vertical" size={0}>
              <Space wrap>
                <Typography.Text strong>{t([`lc.action.${e.action}`, `pay.action.${e.action}`, `ledger.action.${e.action}`, `credit.action.${e.action}`, `points.action.${e.action}`], e.action)}</Typography.Text>
                <OrderStatusTag status={e.status} />
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {when(e.occurred_at)} · {e.actor_kind === "system" ? t("lc.system") : e.actor}
              </Typography.Text>
              {note(e) && <Typography.Text>{note(e)}</Typography.Text>}
            </Space>
          ),
        }))} />
      )}
    </Card>
  );
}

/** The order's shipments; `extra(s)` adds e.g. the confirm-receipt button. */
export function ShipmentsCard({ shipments, extra }: { shipments: Shipment[]; extra?: (s: Shipment) => ReactNode }) {
  const { t } = useTranslation();
  if (!shipments.length) return null;
  return (
    <Card title={t("lc.shipments")}>
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {shipments.map((s) => (
          <Card key={s.id} size="small" type="inner" data-testid={`shipment-${s.number}`}
            title={<Space wrap>{t("lc.shipmentNo", { n: s.number })}
              <Tag color={s.status === "received" ? (s.shortage ? "warning" : "success") : "processing"}>
                {t(`lc.shipmentStatus.${s.status}`)}{s.shortage ? ` · ${t("lc.shortage")}` : ""}</Tag></Space>}
            extra={extra?.(s)}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
              <Descriptions.Item label={t("lc.courier")}>{s.courier}</Descriptions.Item>
              <Descriptions.Item label={t("lc.tracking")}>{s.tracking_number ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("lc.shippedOn")}>{s.shipped_on}</Descriptions.Item>
              {s.received_at && <Descriptions.Item label={t("lc.receivedAt")}>{when(s.received_at)} · {s.received_by}</Descriptions.Item>}
              {s.receipt_note && <Descriptions.Item label={t("lc.receiptNote")}>{s.receipt_note}</Descriptions.Item>}
            </Descriptions>
            <Table rowKey="product_id" size="small" pagination={false} dataSource={s.lines} scroll={{ x: 420 }}
              columns={[
                { title: t("field.product"), dataIndex: "name", render: (v: string, l) => `${v} ${l.model}` },
                { title: t("lc.qtyShipped"), dataIndex: "quantity", align: "right" },
                { title: t("lc.qtyReceived"), dataIndex: "quantity_received", align: "right",
                  render: (v: number | null, l) => v == null ? "—"
                    : <Typography.Text type={v < l.quantity ? "danger" : undefined}>{v}</Typography.Text> },
              ]} />
          </Card>
        ))}
      </Space>
    </Card>
  );
}

const RETURN_COLORS: Record<string, string> = { requested: "processing", approved: "success", rejected: "error" };

export function ReturnStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={RETURN_COLORS[status] ?? "default"}>{t(`lc.returnStatus.${status}`, status)}</Tag>;
}

/** Returns (O-9), for both sides; `actions(r)` adds the staff's buttons. */
export function ReturnsTable({ items, loading, showCustomer, actions, pagination }: {
  items: Return[] | undefined; loading?: boolean; showCustomer?: boolean;
  actions?: (r: Return) => ReactNode; pagination?: object | false;
}) {
  const { t } = useTranslation();
  return (
    <Table<Return> rowKey="id" loading={loading} dataSource={items} scroll={{ x: 900 }}
      pagination={pagination ?? { pageSize: 20, hideOnSinglePage: true }}
      expandable={{ expandedRowRender: (r) => (
        <Table rowKey="product_id" size="small" pagination={false} dataSource={r.lines} columns={[
          { title: t("field.product"), dataIndex: "name", render: (v: string, l) => `${v} ${l.model}` },
          { title: t("field.quantity"), dataIndex: "quantity", align: "right" },
          { title: t("field.unit_price"), dataIndex: "unit_price", align: "right", render: (v: string) => <Money value={v} /> },
          { title: t("order.lineTotal"), dataIndex: "line_total", align: "right", render: (v: string) => <Money value={v} /> },
        ]} />
      ) }}
      columns={[
        { title: t("field.order_number"), dataIndex: "order_number" },
        ...(showCustomer ? [{ title: t("field.customer"), dataIndex: "customer_name" }] : []),
        { title: t("lc.requestedAt"), dataIndex: "created_at", render: (v: string) => when(v) },
        { title: t("field.reason"), dataIndex: "reason" },
        { title: t("lc.returnAmount"), dataIndex: "amount", align: "right" as const, render: (v: string) => <Money value={v} /> },
        { title: t("lc.refund"), dataIndex: "refund_amount", align: "right" as const, render: (v: string | null) => <Money value={v} strong /> },
        { title: t("field.status"), dataIndex: "status", render: (s: string, r: Return) => (
          <Space direction="vertical" size={0}><ReturnStatusTag status={s} />
            {r.decision_reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.decision_reason}</Typography.Text>}
          </Space>) },
        ...(actions ? [{ title: t("common.actions"), key: "a", render: (_: unknown, r: Return) => actions(r) }] : []),
      ]} />
  );
}
