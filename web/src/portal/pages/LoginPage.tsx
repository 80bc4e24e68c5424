import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { LangSwitch } from "../../shared/LangSwitch";
import { LoginCard } from "../../shared/LoginCard";

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return (
    <div className="login-page">
      <div className="login-lang"><LangSwitch /></div>
      <LoginCard title={t("portal.title")} subtitle={t("portal.loginSubtitle")}
        onDone={() => navigate(from && from !== "/login" ? from : "/", { replace: true })}
        forgot={<Link to="/forgot-password">{t("forgot.link")}</Link>}
        footer={<Typography.Text>{t("portal.noAccount")} <Link to="/register">{t("portal.registerLink")}</Link></Typography.Text>} />
    </div>
  );
}
