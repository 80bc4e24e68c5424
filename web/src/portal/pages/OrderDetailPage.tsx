import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, CopyOutlined, EditOutlined,
  RollbackOutlined, StarOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, InputNumber, List, Modal, Skeleton, Space, Table,
  Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { useApiError, useLoad } from "../../shared/hooks";
import { OrderTimeline, ReturnStatusTag, ShipmentsCard } from "../../shared/OrderLife";
import { LedgerCard } from "../../shared/Ledger";
import { OrderView } from "../../shared/OrderView";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { payableOnline } from "../../lib/payments";
import { orderPoints } from "../../lib/points";
import { PayOnline } from "./PayOnline";

type Order = Schemas["OrderOut"];
type Shipment = Schemas["ShipmentOut"];

/** One of my orders: lines, shipments, returns, timeline and what I may do now (O-4, O-8, O-9, O-11),
 * paying it online (B-2) and its payments, reversals and refunds (O-6). */
export function OrderDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const path = { params: { path: { order_id: id } } };
  const order = useLoad(() => unwrap(api.GET("/api/portal/orders/{order_id}", path)), [id]);
  const timeline = useLoad(() => unwrap(api.GET("/api/portal/orders/{order_id}/timeline", path)), [id]);
  const ledger = useLoad(() => unwrap(api.GET("/api/portal/orders/{order_id}/payments", path)), [id]);
  const reload = () => { order.reload(); timeline.reload(); ledger.reload(); };
  const o = order.data;
  useAnswerForPoints(o, reload);
  const can = (a: string) => !!o?.actions.includes(a);
  const [dialog, setDialog] = useState<"cancel" | "request" | "return" | "template" | null>(null);
  const [receiving, setReceiving] = useState<Shipment>();

  return (
    <>
      <PageTitle title={t("orders.detailTitle", { number: o?.number ?? "" })}
        extra={<>
          {o && payableOnline(o) && <PayOnline order={o} onPaid={reload} />}
          {can("modify") && <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/orders/${id}/edit`)}>{t("lc.modify")}</Button>}
          {can("cancel") && <Button danger icon={<CloseOutlined />} onClick={() => setDialog("cancel")}>{t("lc.cancel")}</Button>}
          {can("request_cancellation") && <Button danger icon={<CloseOutlined />} onClick={() => setDialog("request")}>{t("lc.requestCancel")}</Button>}
          {can("request_return") && <Button icon={<RollbackOutlined />} onClick={() => setDialog("return")}>{t("lc.requestReturn")}</Button>}
          {o && <Button icon={<CopyOutlined />} data-testid="reorder"
            onClick={() => navigate(`/orders/new?from=${encodeURIComponent(o.id)}`)}>{t("lc.reorder")}</Button>}
          {o && <Button icon={<StarOutlined />} onClick={() => setDialog("template")}>{t("lc.saveTemplate")}</Button>}
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate("/orders")}>{t("common.back")}</Button>
        </>} />
      <ErrorAlert error={order.error} />
      {order.loading && !o ? <Skeleton active /> : o && (
        <Space direction="vertical" size={16} style={{ width: "100%" }}>
          <OrderView order={o} payments={false} />
          <ShipmentsCard shipments={o.shipments} extra={(s) => s.status === "shipped" && can("confirm_receipt") && (
            <Button type="primary" size="small" icon={<CheckOutlined />} onClick={() => setReceiving(s)}>
              {t("lc.confirmReceipt")}</Button>)} />
          {o.returns.length > 0 && (
            <Card title={t("lc.returns")} extra={<Link to="/returns">{t("lc.myReturns")}</Link>}>
              <List dataSource={o.returns} renderItem={(r) => (
                <List.Item><Space wrap><ReturnStatusTag status={r.status} />
                  <Money value={r.amount} />{r.refund_amount && <>{t("lc.refund")} <Money value={r.refund_amount} strong /></>}
                </Space></List.Item>)} />
            </Card>
          )}
          {(!!ledger.error || !!ledger.data?.entries?.length) && (
            <LedgerCard ledger={ledger.data} loading={ledger.loading} error={ledger.error} side="portal"
              status={o.status} />)}
          <OrderTimeline entries={timeline.data} loading={timeline.loading} />
        </Space>
      )}
      {o && dialog === "cancel" && <ReasonDialog title={t("lc.cancelTitle", { number: o.number })} required={false}
        onClose={() => setDialog(null)} onDone={reload}
        send={(reason) => unwrap(api.POST("/api/portal/orders/{order_id}/cancel", { ...path, body: { reason } }))} />}
      {o && dialog === "request" && <ReasonDialog title={t("lc.requestCancelTitle", { number: o.number })} required
        onClose={() => setDialog(null)} onDone={reload}
        send={(reason) => unwrap(api.POST("/api/portal/orders/{order_id}/cancellation-request", { ...path, body: { reason: reason ?? "" } }))} />}
      {o && dialog === "return" && <ReturnDialog order={o} onClose={() => setDialog(null)} onDone={reload} />}
      {o && dialog === "template" && <TemplateDialog order={o} onClose={() => setDialog(null)} />}
      {o && receiving && <ReceiptDialog order={o} shipment={receiving} onClose={() => setReceiving(undefined)} onDone={reload} />}
    </>
  );
}

/** While the points service has not answered an order's request to pay with points (P-2),
 * ask again now and then: the answer usually comes within a second or two. */
const POINTS_POLL_MS = 1500;
const POINTS_POLLS = 20;

function useAnswerForPoints(o: Order | undefined, reload: () => void) {
  const [polls, setPolls] = useState(0);
  // The whole page reloads (order, timeline, ledger): the answer shows in all of them.
  const latest = useRef(reload);
  latest.current = reload;
  const waiting = !!o && orderPoints(o)?.status === "requested";
  useEffect(() => {
    if (!waiting || polls >= POINTS_POLLS) return;
    const timer = window.setTimeout(() => { setPolls((n) => n + 1); latest.current(); }, POINTS_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, polls, o]);
}

function ReasonDialog({ title, required, send, onClose, onDone }: {
  title: string; required: boolean; send: (reason: string | null) => Promise<unknown>;
  onClose: () => void; onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ reason?: string }>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await send(v.reason?.trim() || null);
      void message.success(t("lc.done"));
      onClose(); onDone();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void ok()} okButtonProps={{ danger: true, loading: busy }}
      okText={t("lc.confirm")}>
      <Form form={form} layout="vertical" name="reason-dialog">
        <Form.Item name="reason" label={t("field.reason")}
          rules={[{ required, whitespace: true, message: t("lc.reasonRequired") }, { max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReceiptDialog({ order, shipment, onClose, onDone }: {
  order: Order; shipment: Shipment; onClose: () => void; onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [qty, setQty] = useState<Record<string, number | null>>(
    Object.fromEntries(shipment.lines.map((l) => [l.product_id, l.quantity])));
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const short = shipment.lines.some((l) => (qty[l.product_id] ?? 0) < l.quantity);
  const ok = async () => {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/orders/{order_id}/shipments/{shipment_id}/receipt", {
        params: { path: { order_id: order.id, shipment_id: shipment.id } },
        body: { lines: shipment.lines.map((l) => ({ product_id: l.product_id, quantity_received: qty[l.product_id] ?? 0 })),
          note: note.trim() || null },
      }));
      void message.success(t("lc.received"));
      onClose(); onDone();
    } catch (err) { report(err); } finally { setBusy(false); }
  };
  return (
    <Modal open width={640} title={t("lc.receiptTitle", { n: shipment.number })} onCancel={onClose}
      onOk={() => void ok()} okText={t("lc.confirmReceipt")}
      okButtonProps={{ loading: busy, disabled: short && !note.trim() }}>
      <Table rowKey="product_id" size="small" pagination={false} dataSource={shipment.lines} columns={[
        { title: t("field.product"), dataIndex: "name", render: (v: string, l) => `${v} ${l.model}` },
        { title: t("lc.qtyShipped"), dataIndex: "quantity", align: "right" },
        { title: t("lc.qtyReceived"), key: "r", width: 130, render: (_: unknown, l) => (
          <InputNumber<number> min={0} max={l.quantity} precision={0} value={qty[l.product_id]}
            aria-label={t("lc.receivedOf", { name: l.name })}
            onChange={(v) => setQty((p) => ({ ...p, [l.product_id]: v }))} />) },
      ]} />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 4 }}>
        {short ? <Typography.Text type="danger">{t("lc.shortageNote")}</Typography.Text> : t("lc.noteOptional")}
      </Typography.Paragraph>
      <Input.TextArea aria-label={t("lc.receiptNote")} value={note} onChange={(e) => setNote(e.target.value)}
        maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
    </Modal>
  );
}

function ReturnDialog({ order, onClose, onDone }: { order: Order; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const lines = order.lines.filter((l) => l.returnable_quantity > 0);
  const [qty, setQty] = useState<Record<string, number | null>>({});
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const chosen = lines.filter((l) => (qty[l.product_id] ?? 0) > 0);
  const ok = async () => {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/orders/{order_id}/returns", {
        params: { path: { order_id: order.id } },
        body: { lines: chosen.map((l) => ({ product_id: l.product_id, quantity: qty[l.product_id] ?? 0 })), reason: reason.trim() },
      }));
      void message.success(t("lc.returnRequested"));
      onClose(); onDone();
    } catch (err) { report(err); } finally { setBusy(false); }
  };
  return (
    <Modal open width={640} title={t("lc.returnTitle", { number: order.number })} onCancel={onClose}
      onOk={() => void ok()} okText={t("lc.requestReturn")}
      okButtonProps={{ loading: busy, disabled: !chosen.length || !reason.trim() }}>
      <Table rowKey="product_id" size="small" pagination={false} dataSource={lines} columns={[
        { title: t("field.product"), dataIndex: "name", render: (v: string, l) => `${v} ${l.model}` },
        { title: t("lc.returnable"), dataIndex: "returnable_quantity", align: "right" },
        { title: t("lc.returnQty"), key: "q", width: 130, render: (_: unknown, l) => (
          <InputNumber<number> min={0} max={l.returnable_quantity} precision={0} value={qty[l.product_id] ?? null}
            placeholder="0" aria-label={t("lc.returnOf", { name: l.name })}
            onChange={(v) => setQty((p) => ({ ...p, [l.product_id]: v }))} />) },
      ]} />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 4 }}>{t("field.reason")}</Typography.Paragraph>
      <Input.TextArea aria-label={t("field.reason")} value={reason} onChange={(e) => setReason(e.target.value)}
        maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
    </Modal>
  );
}

function TemplateDialog({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/order-templates", { body: { name: v.name.trim(), from_order_id: order.id } }));
      void message.success(t("lc.templateSaved"));
      onClose();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open title={t("lc.saveTemplate")} onCancel={onClose} onOk={() => void ok()} okButtonProps={{ loading: busy }}>
      <Form form={form} layout="vertical" name="template" initialValues={{ name: order.number }}>
        <Form.Item name="name" label={t("lc.templateName")}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
