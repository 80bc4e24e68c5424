import { Alert, App, Button, Card, Descriptions, Form, Skeleton, Space } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { companyPayload } from "../../lib/validators";
import { CompanyFields } from "../../shared/CompanyFields";
import { useApiError } from "../../shared/hooks";
import { CustomerStatusTag, ErrorAlert, PageTitle } from "../../shared/ui";
import { useProfile } from "../profile";

/** My company's information (C-1, C-5); saving a rejected registration resubmits it (C-2). */
export function ProfilePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { profile, reload } = useProfile();
  const { report } = useApiError();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (profile) form.setFieldsValue(profile);
  }, [profile, form]);

  if (!profile) return <Skeleton active />;
  const rejected = profile.status === "rejected";

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.PUT("/api/portal/profile", {
        body: { company: companyPayload(values) as never },
      }));
      void message.success(rejected ? t("profile.resubmitted") : t("profile.saved"));
      reload();
    } catch (err) {
      setError(err);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t("profile.title")} />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {rejected && (
          <Alert type="warning" showIcon message={t("review.rejectedTitle")}
            description={<>{profile.rejection_reason}<br />{t("profile.resubmitHint")}</>} />
        )}
        <Card>
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
            <Descriptions.Item label={t("field.customer_number")}>{profile.customer_number}</Descriptions.Item>
            <Descriptions.Item label={t("field.status")}><CustomerStatusTag status={profile.status} /></Descriptions.Item>
            <Descriptions.Item label={t("field.grade")}>{t(`grade.${profile.grade}`, profile.grade)}</Descriptions.Item>
            <Descriptions.Item label={t("customers.paymentTerms")}>
              {profile.payment_terms_days === 0 ? t("customers.dueOnApproval")
                : t("customers.termsDays", { n: profile.payment_terms_days })}</Descriptions.Item>
            <Descriptions.Item label={t("field.created_at")}>{formatDateTime(profile.created_at)}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card>
          <ErrorAlert error={error} />
          <Form form={form} layout="vertical" onFinish={submit} name="profile" scrollToFirstError>
            <CompanyFields />
            <Button type="primary" htmlType="submit" loading={busy}>
              {rejected ? t("profile.resubmit") : t("common.save")}</Button>
          </Form>
        </Card>
      </Space>
    </>
  );
}
