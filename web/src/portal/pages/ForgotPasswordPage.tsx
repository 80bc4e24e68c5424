import { LockOutlined, MailOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Space, Steps, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { normalizeMobile, passwordProblem } from "../../lib/validators";
import { LangSwitch } from "../../shared/LangSwitch";
import { ErrorAlert } from "../../shared/ui";

/** Seconds before another code may be asked for (the API rate-limits as well). */
const RESEND_SECONDS = 60;

interface RequestValues { account: string }
interface ConfirmValues { code: string; new_password: string; confirm: string }

/** Where the account a person types goes: a mobile number is sent without spaces or
 *  +86, anything else (e-mail address, username) as typed. */
function resetAccount(value: string): string {
  const trimmed = value.trim();
  return normalizeMobile(trimmed) ?? trimmed;
}

/** Forgotten password (C-8): a one-time code by SMS or e-mail, then a new password. The
 *  page never tells whether the account exists. `?from=console` returns to the staff
 *  console's login. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const fromConsole = params.get("from") === "console";
  const [confirmForm] = Form.useForm<ConfirmValues>();
  const [account, setAccount] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [wait, setWait] = useState(0);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = window.setTimeout(() => setWait((w) => w - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [wait]);

  const loginUrl = fromConsole ? "/console/login" : "/login";
  const backToLogin = (done: boolean) => {
    const url = done ? `${loginUrl}?reset=done` : loginUrl;
    if (fromConsole) window.location.assign(url);
    else navigate(url, { replace: done });
  };

  const request = async (value: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST("/api/auth/password-reset/request", { body: { username: resetAccount(value) } }));
      setAccount(value.trim());
      setWait(RESEND_SECONDS);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (v: ConfirmValues) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST("/api/auth/password-reset/confirm", {
        body: { token: v.code.trim(), new_password: v.new_password } }));
      backToLogin(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // the account may be the username: the new password must differ from it
  const username = account && !normalizeMobile(account) && !account.includes("@") ? account : "";

  return (
    <div className={fromConsole ? "login-page console" : "login-page"}>
      <div className="login-lang"><LangSwitch light={fromConsole} /></div>
      <Card className="login-card" variant="borderless" data-testid="forgot-password">
        <div className="login-brand">
          <div className="brand-mark">订</div>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t("forgot.title")}</Typography.Title>
            <Typography.Text type="secondary">{t("forgot.subtitle")}</Typography.Text>
          </div>
        </div>
        <Steps size="small" current={account ? 1 : 0} style={{ marginBottom: 20 }} responsive={false}
          items={[{ title: t("forgot.stepAccount") }, { title: t("forgot.stepPassword") }]} />
        <ErrorAlert error={error} />
        {!account ? (
          <Form<RequestValues> layout="vertical" size="large" requiredMark={false} name="forgot-request"
            onFinish={(v) => void request(v.account)}>
            <Form.Item name="account" label={t("forgot.account")} extra={t("forgot.accountHint")}
              rules={[{ required: true, whitespace: true, message: t("validation.required") },
                { max: 120, message: t("validation.tooLong", { n: 120 }) }]}>
              <Input prefix={<MailOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t("forgot.sendCode")}</Button>
          </Form>
        ) : (
          <>
            <Alert type="success" showIcon style={{ marginBottom: 16 }} data-testid="code-sent"
              message={t("forgot.sentTitle")} description={t("forgot.sentText", { account })} />
            <Form<ConfirmValues> form={confirmForm} layout="vertical" size="large" requiredMark={false}
              name="forgot-confirm" onFinish={confirm}>
              <Form.Item name="code" label={t("forgot.code")} extra={t("forgot.codeHint")}
                rules={[{ required: true, whitespace: true, message: t("validation.required") },
                  { max: 200, message: t("validation.tooLong", { n: 200 }) }]}>
                <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" autoFocus />
              </Form.Item>
              <Form.Item name="new_password" label={t("password.new")} extra={t("password.rule")}
                rules={[{ validator: (_r, value: string) => {
                  const key = passwordProblem(value ?? "", username);
                  return key ? Promise.reject(new Error(t(key))) : Promise.resolve();
                } }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
              </Form.Item>
              <Form.Item name="confirm" label={t("password.confirm")} dependencies={["new_password"]}
                rules={[{ validator: (_r, value: string) => !value
                  ? Promise.reject(new Error(t("validation.required")))
                  : value === confirmForm.getFieldValue("new_password") ? Promise.resolve()
                    : Promise.reject(new Error(t("validation.passwordMismatch"))) }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>{t("forgot.submit")}</Button>
            </Form>
            <Space style={{ marginTop: 12, justifyContent: "space-between", width: "100%" }} wrap>
              <Button type="link" style={{ padding: 0 }} disabled={wait > 0 || busy}
                onClick={() => void request(account)}>
                {wait > 0 ? t("forgot.resendIn", { n: wait }) : t("forgot.resend")}</Button>
              <Button type="link" style={{ padding: 0 }} onClick={() => { setAccount(undefined); setError(undefined); }}>
                {t("forgot.otherAccount")}</Button>
            </Space>
          </>
        )}
        <div className="login-footer">
          {fromConsole ? <a href={loginUrl}>{t("forgot.backToLogin")}</a>
            : <Link to={loginUrl}>{t("forgot.backToLogin")}</Link>}
        </div>
      </Card>
    </div>
  );
}
