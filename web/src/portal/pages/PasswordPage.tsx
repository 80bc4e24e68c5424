import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { ChangePasswordForm } from "../../shared/ChangePasswordForm";
import { PageTitle } from "../../shared/ui";

export function PasswordPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("portal.menu.password")} />
      <Card><ChangePasswordForm /></Card>
    </>
  );
}
