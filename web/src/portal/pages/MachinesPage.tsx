import { ToolOutlined } from "@ant-design/icons";
import { App, Button, Card, Descriptions, Empty, Form, Input, List, Modal, Segmented, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import { useApiError, useLoad } from "../../shared/hooks";
import { WarrantyCell } from "../../shared/Machines";
import type { Machine } from "../../shared/Machines";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type Warranty = "all" | "in" | "expired";

/** 我的设备 (S-2): the machines the company bought, each with its warranty and a 报修
 *  button that reports a fault on that machine (S-1). */
export function MachinesPage() {
  const { t } = useTranslation();
  const [warranty, setWarranty] = useState<Warranty>("all");
  const [reporting, setReporting] = useState<Machine>();
  const list = useLoad(() => unwrapList(api.GET("/api/portal/machines", { params: { query: {
    warranty: warranty === "all" ? undefined : warranty, limit: 200 } } })), [warranty]);
  const items = list.data?.items ?? [];

  return (
    <>
      <PageTitle title={t("machines.portalTitle")} sub={t("machines.portalSub")} />
      <ErrorAlert error={list.error} />
      <Segmented<Warranty> value={warranty} onChange={setWarranty} style={{ marginBottom: 16 }} options={[
        { value: "all", label: t("machines.warrantyFilter.all") },
        { value: "in", label: t("machines.warrantyFilter.in") },
        { value: "expired", label: t("machines.warrantyFilter.expired") },
      ]} />
      <List<Machine> grid={{ gutter: 16, xs: 1, sm: 1, md: 2, xl: 3 }} loading={list.loading} dataSource={items}
        data-testid="my-machines"
        locale={{ emptyText: <Empty description={warranty !== "all" ? t("machines.empty") : <>
          <div>{t("machines.portalEmpty")}</div>
          <Typography.Text type="secondary">{t("machines.portalEmptyHint")}</Typography.Text>
        </>} /> }}
        renderItem={(m) => (
          <List.Item>
            <MachineCard machine={m} onReport={() => setReporting(m)} />
          </List.Item>)} />
      {reporting && <ReportModal machine={reporting} onClose={() => setReporting(undefined)} />}
    </>
  );
}

function MachineCard({ machine: m, onReport }: { machine: Machine; onReport: () => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="machine-card"
      title={<Typography.Text ellipsis={{ tooltip: m.name }} style={{ maxWidth: "100%" }}>{m.name}</Typography.Text>}
      extra={<Button type="primary" ghost size="small" icon={<ToolOutlined />} onClick={onReport}>
        {t("machines.report")}</Button>}>
      <Descriptions size="small" column={1} styles={{ label: { width: 96 } }}>
        <Descriptions.Item label={t("machines.model")}>{m.model ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("machines.machineNumber")}>
          <Typography.Text style={{ wordBreak: "break-all" }}>{m.machine_number ?? "—"}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("machines.quantity")}>{m.quantity}</Descriptions.Item>
        <Descriptions.Item label={t("machines.purchaseDate")}>{m.purchase_date}</Descriptions.Item>
        <Descriptions.Item label={t("machines.warranty")}><WarrantyCell machine={m} daysLeft /></Descriptions.Item>
        <Descriptions.Item label={t("machines.installationEngineer")}>{m.installation_engineer ?? "—"}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** A fault report on this machine: name, model and number are taken from it (S-1). */
function ReportModal({ machine, onClose }: { machine: Machine; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ description: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/service-requests", { body: {
        machine_id: machine.id, description: v.description.trim() } }));
      void message.success(t("machines.reported"));
      onClose();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  const label = [machine.name, machine.model, machine.machine_number].filter(Boolean).join(" · ");
  return (
    <Modal open title={t("machines.reportTitle", { name: label })} okText={t("machines.submit")}
      onOk={() => void submit()} okButtonProps={{ loading: busy }} onCancel={onClose}>
      <Typography.Paragraph type="secondary">{t("machines.reportHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="fault">
        <Form.Item name="description" label={t("machines.faultDescription")}
          rules={[{ required: true, whitespace: true, message: t("machines.descriptionRequired") }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t("machines.descriptionPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
