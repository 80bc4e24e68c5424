import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useAuth } from "./auth";
import { ErrorAlert } from "./ui";

interface Values { username: string; password: string }

/** The login form of both sides. `forgot` is the link to the forgotten-password page
 *  (C-8); after a reset that page comes back with `?reset=done`. */
export function LoginCard({ title, subtitle, footer, forgot, onDone }:
    { title: string; subtitle: string; footer?: ReactNode; forgot?: ReactNode; onDone?: () => void }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const resetDone = params.get("reset") === "done";
  const { login } = useAuth();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.username.trim(), values.password);
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="login-card" variant="borderless">
      <div className="login-brand">
        <div className="brand-mark">订</div>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>{title}</Typography.Title>
          <Typography.Text type="secondary">{subtitle}</Typography.Text>
        </div>
      </div>
      {resetDone && !error && <Alert type="success" showIcon style={{ marginBottom: 16 }}
        message={t("forgot.done")} data-testid="reset-done" />}
      <ErrorAlert error={error} />
      <Form<Values> layout="vertical" size="large" onFinish={submit} requiredMark={false}
        name="login">
        <Form.Item name="username" label={t("login.username")}
          rules={[{ required: true, whitespace: true, message: t("validation.required") }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t("login.password")}
          rules={[{ required: true, message: t("validation.required") }]}
          extra={forgot && <div className="login-forgot">{forgot}</div>}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>{t("login.submit")}</Button>
      </Form>
      {footer && <div className="login-footer">{footer}</div>}
    </Card>
  );
}
