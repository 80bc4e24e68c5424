import { Alert, App, Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { isWrongSecret } from "../lib/analysis";
import { passwordProblem } from "../lib/validators";
import { useAuth } from "./auth";
import { useApiError } from "./hooks";
import { ErrorAlert } from "./ui";

interface Values { current_password: string; query_password: string; confirm: string }

/** Set or replace a staff user's query password, the second secret that unlocks
 *  sensitive reports such as 汇总分析; it needs the login password. */
export function QueryPasswordForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, refresh } = useAuth();
  const { report } = useApiError();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (me?.kind !== "staff") return null;
  const has = me.has_query_password;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST("/api/auth/query-password", {
        body: { current_password: v.current_password, query_password: v.query_password },
      }), { secretChecked: true });
      form.resetFields();
      void message.success(t("analysis.queryPassword.done"));
      await refresh();
    } catch (err) {
      setError(err);
      report(err, form);
      // a 401 here is the login password typed wrong; /me tells whether the session ended
      if (isWrongSecret(err)) void refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t(has ? "analysis.queryPassword.changeTitle" : "analysis.queryPassword.title")}
      style={{ marginTop: 16 }} data-testid="query-password-card">
      <Alert type={has ? "success" : "info"} showIcon style={{ marginBottom: 16, maxWidth: 420 }}
        message={t(has ? "analysis.queryPassword.has" : "analysis.queryPassword.none")} />
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }} name="query-password">
        <ErrorAlert error={error} />
        <Form.Item name="current_password" label={t("analysis.queryPassword.current")}
          rules={[{ required: true, message: t("validation.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="query_password" label={t("analysis.queryPassword.new")} extra={t("analysis.queryPassword.rule")}
          rules={[{
            validator: (_r, value: string) => {
              const key = passwordProblem(value ?? "", me.username);
              if (key) return Promise.reject(new Error(t(key)));
              if (value === form.getFieldValue("current_password"))
                return Promise.reject(new Error(t("analysis.queryPassword.sameAsLogin")));
              return Promise.resolve();
            },
          }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t("analysis.queryPassword.confirm")} dependencies={["query_password"]}
          rules={[{
            validator: (_r, value: string) => !value ? Promise.reject(new Error(t("validation.required")))
              : value === form.getFieldValue("query_password")
              ? Promise.resolve() : Promise.reject(new Error(t("analysis.queryPassword.mismatch"))),
          }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t("analysis.queryPassword.submit")}</Button>
      </Form>
    </Card>
  );
}
