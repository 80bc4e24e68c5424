import { App, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { passwordProblem } from "../lib/validators";
import { useAuth } from "./auth";
import { useApiError } from "./hooks";
import { ErrorAlert } from "./ui";

interface Values { current_password: string; new_password: string; confirm: string }

/** Change your own password (C-8); every other session ends, this one gets a new cookie. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, setMe } = useAuth();
  const { report } = useApiError();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      // a wrong current password answers 401: say so here, do not end the session
      const token = await unwrap(api.POST("/api/auth/change-password", {
        body: { current_password: v.current_password, new_password: v.new_password },
      }), { secretChecked: true });
      setMe(token.user);
      form.resetFields();
      void message.success(t("password.changed"));
      onDone?.();
    } catch (err) {
      setError(err);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }} name="password">
      <ErrorAlert error={error} />
      <Form.Item name="current_password" label={t("password.current")}
        rules={[{ required: true, message: t("validation.required") }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="new_password" label={t("password.new")} extra={t("password.rule")}
        rules={[{
          validator: (_r, value: string) => {
            const key = passwordProblem(value ?? "", me?.username ?? "");
            if (key) return Promise.reject(new Error(t(key)));
            if (value === form.getFieldValue("current_password"))
              return Promise.reject(new Error(t("validation.passwordSame")));
            return Promise.resolve();
          },
        }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="confirm" label={t("password.confirm")} dependencies={["new_password"]}
        rules={[{
          validator: (_r, value: string) => !value ? Promise.reject(new Error(t("validation.required")))
            : value === form.getFieldValue("new_password")
            ? Promise.resolve() : Promise.reject(new Error(t("validation.passwordMismatch"))),
        }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>{t("password.submit")}</Button>
    </Form>
  );
}
