import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import { FOLLOW_UP_STATUSES, NOTE_MAX } from "../../../lib/anomalies";
import type { FollowUpStatus } from "../../../lib/anomalies";
import { useApiError } from "../../../shared/hooks";

interface Values {
  status: FollowUpStatus;
  note?: string;
}

/** Record what was done about the customer's current miss (B-6): the outcome and a note.
 *  The step belongs to the date the customer should have ordered by (`expected`). */
export function FollowUpForm({ customerId, expected, onAdded }:
    { customerId: string; expected: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/analysis/anomalies/{customer_id}/follow-ups", {
        params: { path: { customer_id: customerId } },
        body: { status: values.status, note: values.note?.trim() || null } }));
      void message.success(t("anomalies.followUps.added"));
      form.resetFields();
      onAdded();
    } catch (err) {
      report(err, form);
      onAdded(); // a 409 means the customer ordered meanwhile: show it as it is now
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" name="follow-up" onFinish={submit} data-testid="follow-up-form"
      style={{ maxWidth: 720, marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("anomalies.followUps.due")}：{expected}</Typography.Paragraph>
      <Form.Item name="status" label={t("anomalies.followUps.status")}
        rules={[{ required: true, message: t("anomalies.followUps.required") }]}>
        <Select<FollowUpStatus> style={{ maxWidth: 240 }} data-testid="follow-up-status"
          placeholder={t("anomalies.followUps.required")}
          options={FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: t(`anomalies.processing.${s}`) }))} />
      </Form.Item>
      <Form.Item name="note" label={t("anomalies.followUps.note")}
        rules={[{ max: NOTE_MAX, message: t("anomalies.followUps.tooLong", { n: NOTE_MAX }) }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={NOTE_MAX} showCount
          placeholder={t("anomalies.followUps.notePlaceholder")} data-testid="follow-up-note" />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="follow-up-submit">
        {t("anomalies.followUps.add")}</Button>
    </Form>
  );
}
