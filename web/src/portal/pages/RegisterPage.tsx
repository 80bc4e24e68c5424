import { Button, Card, Col, Divider, Form, Input, Row, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { useAuth } from "../../shared/auth";
import { CompanyFields } from "../../shared/CompanyFields";
import { useApiError, useRule } from "../../shared/hooks";
import { LangSwitch } from "../../shared/LangSwitch";
import { ErrorAlert } from "../../shared/ui";
import { companyPayload, passwordProblem, username as usernameCheck } from "../../lib/validators";

type Values = Record<string, string>;

/** A company registers itself and its first user (C-2); staff review it. */
export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { login } = useAuth();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST("/api/portal/register", {
        body: { username: values.username.trim(), password: values.password,
          company: companyPayload(values) },
      }));
      await login(values.username.trim(), values.password);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang"><LangSwitch /></div>
      <Card className="login-card wide" variant="borderless">
        <div className="login-brand">
          <div className="brand-mark">订</div>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t("register.title")}</Typography.Title>
            <Typography.Text type="secondary">{t("register.subtitle")}</Typography.Text>
          </div>
        </div>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} name="register" scrollToFirstError>
          <Divider orientation="left" plain>{t("register.account")}</Divider>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="username" label={t("field.username")} required
                extra={t("register.usernameHint")} rules={[rule(usernameCheck)]}>
                <Input autoComplete="username" maxLength={40} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="password" label={t("field.password")} required extra={t("password.rule")}
                dependencies={["username"]}
                rules={[{ validator: (_r, v: string) => {
                  const key = passwordProblem(v ?? "", form.getFieldValue("username") ?? "");
                  return key ? Promise.reject(new Error(t(key))) : Promise.resolve();
                } }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="confirm" label={t("password.confirm")} required dependencies={["password"]}
                rules={[{ validator: (_r, v: string) => !v ? Promise.reject(new Error(t("validation.required")))
                  : v === form.getFieldValue("password")
                    ? Promise.resolve() : Promise.reject(new Error(t("validation.passwordMismatch"))) }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
          </Row>
          <Divider orientation="left" plain>{t("register.company")}</Divider>
          <CompanyFields />
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t("register.submit")}
          </Button>
        </Form>
        <div className="login-footer">
          <Typography.Text>{t("register.haveAccount")} <Link to="/login">{t("register.loginLink")}</Link></Typography.Text>
        </div>
      </Card>
    </div>
  );
}
