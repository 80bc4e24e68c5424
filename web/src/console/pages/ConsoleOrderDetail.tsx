import { CarOutlined, CheckOutlined, CloseOutlined, DollarOutlined, FlagOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Skeleton, Space, Table,
  Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { toCents } from "../../lib/money";
import { has } from "../../lib/permissions";
import { businessToday } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { LedgerCard } from "../../shared/Ledger";
import type { Ledger, LedgerEntry } from "../../shared/Ledger";
import { OrderTimeline, ReturnStatusTag, ShipmentsCard } from "../../shared/OrderLife";
import { OrderView } from "../../shared/OrderView";
import { ErrorAlert, Money } from "../../shared/ui";

type Order = Schemas["OrderOut"];
type Dialog = "ship" | "pay" | "reject" | "rejectCancel" | "complete" | null;

/** One order for staff (drawer content): details, shipments, returns, timeline, and the
 * actions its state allows and the user's permissions grant (O-5, O-6, O-8, O-11). */
export function ConsoleOrderDetail({ id, onChanged }: { id: string; onChanged?: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const path = { params: { path: { order_id: id } } };
  const order = useLoad(() => unwrap(api.GET("/api/console/orders/{order_id}", path)), [id]);
  const timeline = useLoad(() => unwrap(api.GET("/api/console/orders/{order_id}/timeline", path)), [id]);
  const canLedger = has(me?.permissions, "payments:query");
  const ledger = useLoad(() => canLedger
    ? unwrap(api.GET("/api/console/orders/{order_id}/payments", path)) : Promise.resolve(undefined), [id, canLedger]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const o = order.data;
  const perm = (p: string) => has(me?.permissions, p);
  const can = (a: string, p: string) => !!o?.actions.includes(a) && perm(p);
  const changed = () => { order.reload(); timeline.reload(); ledger.reload(); onChanged?.(); };

  const run = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await call();
      void message.success(done);
      setDialog(null);
      changed();
    } catch (err) { report(err); } finally { setBusy(false); }
  };

  if (order.error) return <ErrorAlert error={order.error} />;
  if (!o) return <Skeleton active />;
  const approve = o.actions.includes("second_approve") ? "second_approve" : "approve";
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Space wrap data-testid="order-actions">
        {can(approve, "orders:review") && <Button type="primary" icon={<CheckOutlined />} loading={busy}
          onClick={() => void run(() => unwrap(api.POST("/api/console/orders/review", { body: { order_ids: [o.id], decision: "approve" } })), t("ordersConsole.approved", { n: 1 }))}>
          {t(approve === "second_approve" ? "lc.secondApprove" : "lc.approve")}</Button>}
        {can("reject", "orders:review") && <Button danger icon={<CloseOutlined />} onClick={() => setDialog("reject")}>{t("lc.reject")}</Button>}
        {can("ship", "orders:modify") && <Button type="primary" icon={<CarOutlined />} onClick={() => setDialog("ship")}>{t("lc.ship")}</Button>}
        {can("approve_cancellation", "orders:review") && <Button danger icon={<CheckOutlined />} loading={busy}
          onClick={() => void run(() => unwrap(api.POST("/api/console/orders/{order_id}/cancellation/approve", path)), t("lc.done"))}>
          {t("lc.approveCancel")}</Button>}
        {can("reject_cancellation", "orders:review") && <Button onClick={() => setDialog("rejectCancel")}>{t("lc.rejectCancel")}</Button>}
        {can("complete", "orders:modify") && <Button icon={<FlagOutlined />} onClick={() => setDialog("complete")}>{t("lc.complete")}</Button>}
        {perm("payments:entry") && toCents(o.outstanding) > 0n && !["cancelled", "rejected"].includes(o.status) &&
          <Button icon={<DollarOutlined />} onClick={() => setDialog("pay")}>{t("lc.recordPayment")}</Button>}
      </Space>
      <OrderView order={o} showCustomer payments={!canLedger} onChanged={changed} />
      <ShipmentsCard shipments={o.shipments} />
      {o.returns.length > 0 && (
        <Card title={t("lc.returns")} size="small">
          {o.returns.map((r) => <Space key={r.id} wrap style={{ marginRight: 16 }}><ReturnStatusTag status={r.status} />
            <Money value={r.amount} />{r.refund_amount && <>{t("lc.refund")} <Money value={r.refund_amount} strong /></>}</Space>)}
        </Card>
      )}
      {canLedger && <StaffLedger ledger={ledger.data} loading={ledger.loading} error={ledger.error} orderId={o.id}
        busy={busy} perm={perm} run={run} />}
      <OrderTimeline entries={timeline.data} loading={timeline.loading} />
      {dialog === "ship" && <ShipDialog order={o} busy={busy} onClose={() => setDialog(null)}
        onSend={(body) => void run(() => unwrap(api.POST("/api/console/orders/{order_id}/shipments", { ...path, body })), t("lc.shipped"))} />}
      {dialog === "pay" && <PaymentDialog order={o} busy={busy} onClose={() => setDialog(null)}
        onSend={(body) => void run(() => unwrap(api.POST("/api/console/orders/{order_id}/payments", { ...path, body })), t("lc.paymentRecorded"))} />}
      {(dialog === "reject" || dialog === "rejectCancel" || dialog === "complete") && (
        <TextDialog title={t(dialog === "reject" ? "lc.reject" : dialog === "complete" ? "lc.complete" : "lc.rejectCancel")}
          label={t(dialog === "complete" ? "lc.completeNote" : "field.reason")} busy={busy} onClose={() => setDialog(null)}
          onSend={(text) => void run(() => dialog === "reject"
            ? unwrap(api.POST("/api/console/orders/review", { body: { order_ids: [o.id], decision: "reject", reason: text } }))
            : dialog === "complete"
              ? unwrap(api.POST("/api/console/orders/{order_id}/complete", { ...path, body: { note: text } }))
              : unwrap(api.POST("/api/console/orders/{order_id}/cancellation/reject", { ...path, body: { reason: text } })), t("lc.done"))} />
      )}
    </Space>
  );
}

export function TextDialog({ title, label, busy, onClose, onSend }: {
  title: string; label: string; busy: boolean; onClose: () => void; onSend: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text: string }>();
  return (
    <Modal open title={title} onCancel={onClose} okButtonProps={{ loading: busy }}
      onOk={() => void form.validateFields().then((v) => onSend(v.text.trim()))}>
      <Form form={form} layout="vertical" name="text-dialog">
        <Form.Item name="text" label={label}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ShipmentIn = Schemas["ShipmentIn"];

function ShipDialog({ order, busy, onClose, onSend }: {
  order: Order; busy: boolean; onClose: () => void; onSend: (body: ShipmentIn) => void;
}) {
  const { t } = useTranslation();
  const left = order.lines.filter((l) => l.quantity > l.shipped_quantity);
  const [qty, setQty] = useState<Record<string, number | null>>(
    Object.fromEntries(left.map((l) => [l.product_id, l.quantity - l.shipped_quantity])));
  const [form] = Form.useForm<{ courier: string; tracking_number?: string; shipped_on: Dayjs }>();
  const lines = left.filter((l) => (qty[l.product_id] ?? 0) > 0)
    .map((l) => ({ product_id: l.product_id, quantity: qty[l.product_id] ?? 0 }));
  return (
    <Modal open width={680} title={t("lc.shipTitle", { number: order.number })} onCancel={onClose}
      okText={t("lc.ship")} okButtonProps={{ loading: busy, disabled: !lines.length }}
      onOk={() => void form.validateFields().then((v) => onSend({
        lines, courier: v.courier.trim(), tracking_number: v.tracking_number?.trim() || null,
        shipped_on: v.shipped_on.format("YYYY-MM-DD") }))}>
      <Table rowKey="product_id" size="small" pagination={false} dataSource={left} style={{ marginBottom: 16 }} columns={[
        { title: t("field.product"), dataIndex: "name", render: (v: string, l) => `${v} ${l.model}` },
        { title: t("field.quantity"), dataIndex: "quantity", align: "right" },
        { title: t("lc.qtyLeft"), key: "left", align: "right", render: (_: unknown, l) => l.quantity - l.shipped_quantity },
        { title: t("lc.qtyThisShipment"), key: "q", width: 130, render: (_: unknown, l) => (
          <InputNumber<number> min={0} max={l.quantity - l.shipped_quantity} precision={0} value={qty[l.product_id]}
            aria-label={t("lc.shipOf", { name: l.name })}
            onChange={(v) => setQty((p) => ({ ...p, [l.product_id]: v }))} />) },
      ]} />
      <Form form={form} layout="vertical" name="ship" initialValues={{ shipped_on: dayjs(businessToday()) }}>
        <Space wrap align="start">
          <Form.Item name="courier" label={t("lc.courier")} rules={[{ required: true, whitespace: true, message: t("validation.required") }]}>
            <Input maxLength={100} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="tracking_number" label={t("lc.tracking")}>
            <Input maxLength={100} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="shipped_on" label={t("lc.shippedOn")} rules={[{ required: true, message: t("validation.required") }]}>
            <DatePicker />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

type PaymentIn = Schemas["PaymentIn"];

function PaymentDialog({ order, busy, onClose, onSend }: {
  order: Order; busy: boolean; onClose: () => void; onSend: (body: PaymentIn) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ amount: string; paid_on: Dayjs; method: string; reference?: string }>();
  return (
    <Modal open title={t("lc.recordPayment")} onCancel={onClose} okButtonProps={{ loading: busy }}
      onOk={() => void form.validateFields().then((v) => onSend({
        amount: String(v.amount), paid_on: v.paid_on.format("YYYY-MM-DD"), method: v.method,
        reference: v.reference?.trim() || null }))}>
      <Typography.Paragraph type="secondary">{t("field.outstanding")}: <Money value={order.outstanding} /></Typography.Paragraph>
      <Form form={form} layout="vertical" name="payment"
        initialValues={{ amount: order.outstanding, paid_on: dayjs(businessToday()), method: "bank_transfer" }}>
        <Form.Item name="amount" label={t("field.amount")} rules={[{ required: true, message: t("validation.required") }]}>
          <InputNumber<string> stringMode min="0.01" step="0.01" precision={2} prefix="¥" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="paid_on" label={t("field.paid_on")} rules={[{ required: true, message: t("validation.required") }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="method" label={t("field.method")} rules={[{ required: true }]}>
          <Select style={{ width: 200 }} options={["bank_transfer", "cash", "wechat", "alipay"].map((m) => ({ value: m, label: t(`paymentMethod.${m}`) }))} />
        </Form.Item>
        <Form.Item name="reference" label={t("field.reference")}><Input maxLength={100} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** The order's payment ledger (O-6) with the buttons the user's permissions grant: reverse a
 * payment (asked for by one staff member, reviewed by another) and record a refund. */
function StaffLedger({ ledger, loading, error, orderId, busy, perm, run }: {
  ledger: Ledger | undefined; loading: boolean; error: unknown; orderId: string; busy: boolean;
  perm: (p: string) => boolean; run: (call: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [reverse, setReverse] = useState<LedgerEntry | null>(null);
  const [reject, setReject] = useState<LedgerEntry | null>(null);
  const [refund, setRefund] = useState(false);
  const path = (paymentId: string) => ({ params: { path: { order_id: orderId, payment_id: paymentId } } });
  const close = () => { setReverse(null); setReject(null); setRefund(false); };
  // The dialogs close only once the call succeeded (an error keeps them open).
  const act = (call: () => Promise<unknown>, done: string) => void run(async () => { await call(); close(); }, done);
  const actions = (e: LedgerEntry) => {
    if (e.kind === "payment" && e.status === "recorded" && perm("payments:entry")) {
      return <Button size="small" onClick={() => setReverse(e)}>{t("ledger.reverse")}</Button>;
    }
    if (e.kind === "reversal" && e.status === "pending" && e.payment_id && perm("payments:review")) {
      const pid = e.payment_id;
      return (
        <Space size={4} wrap>
          <Typography.Text type="secondary">{t("ledger.reviewReversal")}</Typography.Text>
          <Button size="small" type="primary" loading={busy}
            onClick={() => act(() => unwrap(api.POST("/api/console/orders/{order_id}/payments/{payment_id}/reversal/approve", path(pid))), t("ledger.reversalApproved"))}>
            {t("ledger.approve")}</Button>
          <Button size="small" danger onClick={() => setReject(e)}>{t("ledger.reject")}</Button>
        </Space>
      );
    }
    return null;
  };
  return (
    <>
      <LedgerCard ledger={ledger} loading={loading} error={error} side="console" actions={actions}
        extra={ledger && perm("payments:entry") && toCents(ledger.refundable) > 0n &&
          <Button size="small" onClick={() => setRefund(true)}>{t("ledger.refund")}</Button>} />
      {reverse && <TextDialog title={t("ledger.reverseTitle", { amount: reverse.amount })} label={t("ledger.reverseReason")}
        busy={busy} onClose={close}
        onSend={(reason) => act(() => unwrap(api.POST("/api/console/orders/{order_id}/payments/{payment_id}/reversal",
          { ...path(reverse.id), body: { reason } })), t("ledger.reversalRequested"))} />}
      {reject?.payment_id && <TextDialog title={t("ledger.reject")} label={t("ledger.rejectReason")} busy={busy} onClose={close}
        onSend={(reason) => act(() => unwrap(api.POST("/api/console/orders/{order_id}/payments/{payment_id}/reversal/reject",
          { ...path(reject.payment_id ?? ""), body: { reason } })), t("ledger.reversalRejected"))} />}
      {refund && ledger && <RefundDialog refundable={ledger.refundable} busy={busy} onClose={close}
        onSend={(body) => act(() => unwrap(api.POST("/api/console/orders/{order_id}/refunds",
          { params: { path: { order_id: orderId } }, body })), t("ledger.refundRecorded"))} />}
    </>
  );
}

type RefundIn = Schemas["RefundIn"];

function RefundDialog({ refundable, busy, onClose, onSend }: {
  refundable: string; busy: boolean; onClose: () => void; onSend: (body: RefundIn) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ amount: string; refunded_on: Dayjs; method: string; reference?: string; reason: string }>();
  return (
    <Modal open title={t("ledger.refund")} onCancel={onClose} okButtonProps={{ loading: busy }}
      onOk={() => void form.validateFields().then((v) => onSend({
        amount: String(v.amount), refunded_on: v.refunded_on.format("YYYY-MM-DD"), method: v.method,
        reference: v.reference?.trim() || null, reason: v.reason.trim() }))}>
      <Typography.Paragraph type="secondary">{t("ledger.refundable")}: <Money value={refundable} /></Typography.Paragraph>
      <Form form={form} layout="vertical" name="refund"
        initialValues={{ amount: refundable, refunded_on: dayjs(businessToday()), method: "bank_transfer" }}>
        <Form.Item name="amount" label={t("field.amount")} rules={[{ required: true, message: t("validation.required") }]}>
          <InputNumber<string> stringMode min="0.01" max={refundable} step="0.01" precision={2} prefix="¥" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="refunded_on" label={t("ledger.refundedOn")} rules={[{ required: true, message: t("validation.required") }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="method" label={t("field.method")} rules={[{ required: true }]}>
          <Select style={{ width: 200 }} options={["bank_transfer", "cash", "wechat", "alipay"].map((m) => ({ value: m, label: t(`paymentMethod.${m}`) }))} />
        </Form.Item>
        <Form.Item name="reference" label={t("field.reference")}><Input maxLength={100} /></Form.Item>
        <Form.Item name="reason" label={t("ledger.refundReason")}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
