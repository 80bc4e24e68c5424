import { Alert, Form, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../../../api/client";
import { isWrongSecret, needsQueryPassword } from "../../../lib/analysis";
import { useAuth } from "../../../shared/auth";
import { useApiError } from "../../../shared/hooks";
import { ErrorAlert } from "../../../shared/ui";

/** Unlock sensitive reports with the query password. A wrong one is a 401 that
 *  means "wrong password", not "session ended": the user stays logged in and is told. */
export function UnlockDialog({ open, onClose, onUnlocked }:
    { open: boolean; onClose: () => void; onUnlocked: (sensitiveUntil: string) => void }) {
  const { t } = useTranslation();
  const { me, refresh } = useAuth();
  const { report } = useApiError();
  const [form] = Form.useForm<{ query_password: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const missing = me?.has_query_password === false || needsQueryPassword(error);

  const submit = async ({ query_password }: { query_password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const done = await unwrap(api.POST("/api/auth/unlock-sensitive", { body: { query_password } }),
        { secretChecked: true });
      form.resetFields();
      onUnlocked(done.sensitive_until);
    } catch (err) {
      setError(err);
      report(err);
      form.setFieldValue("query_password", "");
      // /me tells whether the session itself has ended (then the app logs out as usual)
      if (isWrongSecret(err)) void refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t("analysis.unlock.title")} okText={t("analysis.unlock.submit")}
      onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden
      onCancel={() => { setError(undefined); onClose(); }}>
      <Form form={form} layout="vertical" onFinish={submit} name="unlock" preserve={false}>
        <div data-testid="unlock-error"><ErrorAlert error={error} /></div>
        {missing && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="no-query-password"
            message={<>{t("analysis.unlock.noPassword")} <Link to="/password">{t("analysis.unlock.setLink")}</Link></>} />
        )}
        <Form.Item name="query_password" label={t("analysis.unlock.label")}
          rules={[{ required: true, message: t("analysis.unlock.required") }]}>
          <Input.Password autoFocus autoComplete="off" data-testid="query-password-input" />
        </Form.Item>
        <Typography.Text type="secondary">{t("analysis.unlock.hint")}</Typography.Text>
      </Form>
    </Modal>
  );
}
