import { UnlockOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { Schemas } from "../api/client";
import { has } from "../lib/permissions";
import { useAuth } from "./auth";
import { useApiError, useLoad } from "./hooks";
import { Money } from "./ui";

type Held = Pick<Schemas["OrderSummary"], "id" | "number" | "credit_hold" | "credit_hold_reason" | "credit_hold_reason_en">;

/** The hold's reason in the reader's language (B-3). */
function holdReason(order: Held, language: string): string {
  return (language === "en-US" ? order.credit_hold_reason_en : order.credit_hold_reason) ?? "";
}

/** Staff: a red 信用冻结 tag with the reason on hover; nothing when the order is not held. */
export function CreditHoldTag({ order }: { order: Held }) {
  const { t, i18n } = useTranslation();
  if (!order.credit_hold) return null;
  return (
    <Tooltip title={holdReason(order, i18n.language)}>
      <Tag color="red" data-testid="credit-hold-tag">{t("credit.hold")}</Tag>
    </Tooltip>
  );
}

/** Customer: 待财务审核（超出信用额度） with the reason; nothing when the order is not held. */
export function PortalHoldTag({ order }: { order: Held }) {
  const { t, i18n } = useTranslation();
  if (!order.credit_hold) return null;
  return (
    <Tooltip title={holdReason(order, i18n.language)}>
      <Tag color="orange" data-testid="credit-hold-status">{t("credit.portalStatus")}</Tag>
    </Tooltip>
  );
}

/** Finance (payments:review) releases an order's credit hold, with an optional note. */
export function ReleaseHoldButton({ order, onDone, size }: { order: Held; onDone: () => void; size?: "small" }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ note?: string }>();
  if (!order.credit_hold || !has(me?.permissions, "payments:review")) return null;
  const submit = async () => {
    const { note } = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/orders/{order_id}/credit-hold/release", {
        params: { path: { order_id: order.id } }, body: { note: note?.trim() || null } }));
      void message.success(t("credit.released"));
      setOpen(false);
      onDone();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size={size} icon={<UnlockOutlined />} data-testid="release-credit-hold"
        onClick={(e) => { e.stopPropagation(); setOpen(true); }}>{t("credit.release")}</Button>
      <Modal open={open} title={t("credit.releaseTitle", { number: order.number })} okText={t("credit.release")}
        okButtonProps={{ loading: busy }} onOk={() => void submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t("credit.releaseHint")}</Typography.Paragraph>
        <Form form={form} layout="vertical" name="release-credit-hold">
          <Form.Item name="note" label={t("credit.note")} rules={[{ max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** On an order's page: why it is held, for staff (with the release) or for the customer. */
export function CreditHoldNotice({ order, side, onChanged }:
    { order: Held & Partial<Pick<Schemas["OrderOut"], "credit_released_by">>; side: "console" | "portal"; onChanged?: () => void }) {
  const { t, i18n } = useTranslation();
  if (!order.credit_hold) {
    return side === "console" && order.credit_released_by
      ? <Typography.Text type="secondary">{t("credit.releasedBy", { by: order.credit_released_by })}</Typography.Text>
      : null;
  }
  if (side === "portal") {
    return <Alert type="warning" showIcon data-testid="credit-hold-notice" message={t("credit.portalStatus")}
      description={holdReason(order, i18n.language)} />;
  }
  return <Alert type="error" showIcon data-testid="credit-hold-notice" message={t("credit.holdTitle")}
    description={holdReason(order, i18n.language)}
    action={<ReleaseHoldButton order={order} onDone={onChanged ?? (() => window.location.reload())} />} />;
}

const LIMIT = /^\d{1,12}(\.\d{1,2})?$/;

/** Console customer detail: the credit limit (set or remove) and, with orders:query, what
 * the customer owes on its open orders and what is left (B-3). */
export function CreditLimitCard({ customerId, limit, canModify, onDone }:
    { customerId: string; limit: string | null | undefined; canModify: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canOrders = has(me?.permissions, "orders:query");
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ limit: string }>();
  const credit = useLoad(() => canOrders
    ? unwrap(api.GET("/api/console/orders/credit/{customer_id}", { params: { path: { customer_id: customerId } } }))
    : Promise.resolve(undefined), [customerId, canOrders, limit]);
  const save = async (value: string | null) => {
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}/credit-limit", {
        params: { path: { customer_id: customerId } }, body: { limit: value } }));
      void message.success(t(value === null ? "credit.cleared" : "credit.saved"));
      form.resetFields();
      onDone();
    } catch (err) { report(err, form); }
  };
  const c = credit.data;
  return (
    <Card size="small" title={t("credit.limit")} data-testid="credit-limit-card">
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t("credit.limitNow")}>
          <span data-testid="credit-limit">{limit == null ? t("credit.noLimit") : <Money value={limit} />}</span>
        </Descriptions.Item>
        {c && <Descriptions.Item label={t("credit.outstanding")}><Money value={c.outstanding} /></Descriptions.Item>}
        {c && c.available != null && <Descriptions.Item label={t("credit.available")}>
          <Typography.Text type={c.available.startsWith("-") ? "danger" : undefined}><Money value={c.available} /></Typography.Text>
        </Descriptions.Item>}
        {c && c.held_orders > 0 && <Descriptions.Item label={t("credit.heldOrders")}><Tag color="red">{c.held_orders}</Tag></Descriptions.Item>}
      </Descriptions>
      <Typography.Paragraph type="secondary">{t("credit.hint")}</Typography.Paragraph>
      {canModify && (
        <Form form={form} layout="inline" name="credit-limit" onFinish={(v) => void save(v.limit.trim())}
          initialValues={{ limit: limit ?? "" }}>
          <Form.Item name="limit" label={t("credit.newLimit")}
            rules={[{ required: true, pattern: LIMIT, message: t("credit.invalid") }]}>
            <Input prefix="¥" placeholder="50000.00" inputMode="decimal" style={{ width: 180 }} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t("common.save")}</Button>
            {limit != null && <Button onClick={() => void save(null)}>{t("credit.clear")}</Button>}
          </Space>
        </Form>
      )}
    </Card>
  );
}
