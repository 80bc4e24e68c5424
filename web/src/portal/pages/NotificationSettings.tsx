import { Alert, App, Button, Drawer, Form, Input, Skeleton, Switch, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { maskMobile, openidProblem, openidValue } from "../../lib/messages";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert } from "../../shared/ui";

interface Values { sms: boolean; wechat: boolean; wechat_openid?: string | null }

/** How the customer is told besides the portal inbox (N-2): SMS to the registered mobile
 *  number, WeChat to the openid of the supplier's Official Account. The inbox always gets
 *  everything. */
export function NotificationSettings({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const settings = useLoad(() => open ? unwrap(api.GET("/api/portal/notification-settings"))
    : Promise.resolve(undefined), [open]);
  const s = settings.data;

  useEffect(() => {
    if (s) form.setFieldsValue({ sms: s.sms, wechat: s.wechat, wechat_openid: s.wechat_openid ?? "" });
  }, [s, form]);

  const save = async (v: Values) => {
    setBusy(true);
    try {
      const saved = await unwrap(api.PUT("/api/portal/notification-settings", { body: {
        sms: v.sms, wechat: v.wechat, wechat_openid: openidValue(v.wechat_openid) } }));
      form.setFieldsValue({ sms: saved.sms, wechat: saved.wechat, wechat_openid: saved.wechat_openid ?? "" });
      void message.success(t("notifySettings.saved"));
      onClose();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={open} onClose={onClose} width={Math.min(480, window.innerWidth)} title={t("notifySettings.title")}
      extra={<Button type="primary" loading={busy} disabled={!s} onClick={() => form.submit()}
        data-testid="save-notification-settings">{t("common.save")}</Button>}>
      <Alert type="info" showIcon message={t("notifySettings.inboxAlways")} style={{ marginBottom: 16 }} />
      <ErrorAlert error={settings.error} />
      {!s ? (!settings.error && <Skeleton active />) : (
        <Form<Values> form={form} layout="vertical" name="notify-settings" onFinish={save}
          initialValues={{ sms: s.sms, wechat: s.wechat, wechat_openid: s.wechat_openid ?? "" }}>
          <Form.Item name="sms" label={t("notifySettings.sms")} valuePropName="checked"
            extra={s.mobile ? t("notifySettings.smsTo", { mobile: maskMobile(s.mobile) }) : t("notifySettings.noMobile")}>
            <Switch />
          </Form.Item>
          <Form.Item name="wechat" label={t("notifySettings.wechat")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="wechat_openid" label={t("notifySettings.openid")} extra={t("notifySettings.openidHelp")}
            rules={[rule(openidProblem)]}>
            <Input allowClear maxLength={64} placeholder="oXXXX…" autoComplete="off" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() => form.getFieldValue("wechat") && !openidValue(form.getFieldValue("wechat_openid"))
              ? <Typography.Paragraph type="warning">{t("notifySettings.wechatUnbound")}</Typography.Paragraph> : null}
          </Form.Item>
          <Typography.Paragraph type="secondary">{t("notifySettings.what")}</Typography.Paragraph>
        </Form>
      )}
    </Drawer>
  );
}
