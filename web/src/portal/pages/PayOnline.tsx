import { QrcodeOutlined } from "@ant-design/icons";
import { Alert, App, Button, Modal, QRCode, Radio, Space, Spin, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { when } from "../../lib/orders";
import { POLL_MS, absoluteUrl } from "../../lib/payments";
import { useApiError, useLoad } from "../../shared/hooks";
import { Money } from "../../shared/ui";

type Order = Schemas["OrderOut"];
type Intent = Schemas["PaymentIntentOut"];
type Provider = Schemas["PaymentProviderOut"]["provider"];

/** 在线支付 / Pay online (B-2, O-6): a button when the platform offers online payment,
 * and its dialog. `onPaid` runs once the provider confirmed the payment. */
export function PayOnline({ order, onPaid }: { order: Order; onPaid: () => void }) {
  const { t } = useTranslation();
  const providers = useLoad(() => unwrap(api.GET("/api/portal/payment-providers")), []);
  const [open, setOpen] = useState(false);
  const offered = Array.isArray(providers.data) ? providers.data : [];
  if (!offered.length) return null;
  return (
    <>
      <Button type="primary" icon={<QrcodeOutlined />} onClick={() => setOpen(true)}>{t("pay.button")}</Button>
      {open && <PayOnlineDialog order={order} providers={offered.map((p) => p.provider)}
        onClose={() => setOpen(false)} onPaid={() => { setOpen(false); onPaid(); }} />}
    </>
  );
}

export function PayOnlineDialog({ order, providers, onClose, onPaid }: {
  order: Order; providers: Provider[]; onClose: () => void; onPaid: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [provider, setProvider] = useState<Provider>();
  const [intent, setIntent] = useState<Intent>();
  const [busy, setBusy] = useState(false);

  const start = async (chosen: Provider) => {
    setProvider(chosen);
    setIntent(undefined);
    setBusy(true);
    try {
      setIntent(await unwrap(api.POST("/api/portal/orders/{order_id}/pay", {
        params: { path: { order_id: order.id } }, body: { provider: chosen } })));
    } catch (err) { report(err); } finally { setBusy(false); }
  };

  // Ask every POLL_MS until the intent is no longer waiting (one request at a time).
  const waiting = intent?.status === "created" ? intent.intent_id : undefined;
  useEffect(() => {
    if (!waiting) return;
    let live = true;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const now = await unwrap(api.GET("/api/portal/orders/{order_id}/payment-intents/{intent_id}", {
          params: { path: { order_id: order.id, intent_id: waiting } } }));
        if (live && now.status !== "created") { setIntent(now); return; }
      } catch {
        // a missed poll is tried again
      }
      if (live) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    timer = window.setTimeout(() => void poll(), POLL_MS);
    return () => { live = false; window.clearTimeout(timer); };
  }, [waiting, order.id]);

  const paid = intent?.status === "paid";
  useEffect(() => {
    if (paid) { void message.success(t("pay.paid")); onPaid(); }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paid]);

  return (
    <Modal open title={t("pay.title", { number: order.number })} onCancel={onClose} footer={null}>
      <Space direction="vertical" size={16} style={{ width: "100%" }} data-testid="pay-online">
        <Typography.Text>{t("pay.amount")} <Money value={intent?.amount ?? order.outstanding} strong /></Typography.Text>
        <div>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t("pay.choose")}</Typography.Paragraph>
          <Radio.Group optionType="button" buttonStyle="solid" value={provider} disabled={busy}
            onChange={(e) => void start(e.target.value as Provider)}
            options={providers.map((p) => ({ value: p, label: t(`pay.provider.${p}`, p) }))} />
        </div>
        {busy && <Spin />}
        {intent && intent.status === "created" && (
          <Space direction="vertical" align="center" style={{ width: "100%" }}>
            <QRCode type="svg" value={absoluteUrl(intent.code_url, window.location.origin)} size={200} aria-label={t("pay.qrLabel")}
              data-testid="pay-qr" />
            <Typography.Text>{t(`pay.scan.${intent.provider}`)}</Typography.Text>
            <Typography.Text type="secondary">{t("pay.expiresAt", { time: when(intent.expires_at) })}</Typography.Text>
            {intent.provider === "sandbox" && (
              <Button href={intent.code_url} target="_blank" rel="noopener noreferrer">{t("pay.openSandbox")}</Button>
            )}
            <Space><Spin size="small" /><Typography.Text type="secondary">{t("pay.waiting")}</Typography.Text></Space>
          </Space>
        )}
        {intent && (intent.status === "expired" || intent.status === "failed") && (
          <Alert type="warning" showIcon message={t(`pay.${intent.status}`)}
            action={<Button size="small" onClick={() => provider && void start(provider)}>{t("pay.retry")}</Button>} />
        )}
      </Space>
    </Modal>
  );
}
