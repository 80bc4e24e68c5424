import { CheckOutlined, CloseOutlined, ReloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, InputNumber, Modal, Segmented, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { ReturnsTable } from "../../shared/OrderLife";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { TextDialog } from "./ConsoleOrderDetail";

type Return = Schemas["ReturnOut"];
type Filter = "requested" | "approved" | "rejected" | "all";

/** Return requests (O-9): approve with the refund amount or reject with a reason. */
export function ReturnsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [params] = useSearchParams();
  // The workbench links here as ?status=requested; another status may be asked for too.
  const [filter, setFilter] = useState<Filter>(() => {
    const s = params.get("status");
    return s === "approved" || s === "rejected" || s === "all" ? s : "requested";
  });
  const [page, setPage] = useState(1);
  const [approving, setApproving] = useState<Return>();
  const [rejecting, setRejecting] = useState<Return>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ refund_amount: string; note?: string }>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/returns", { params: { query: {
    status: filter === "all" ? undefined : filter, limit: pageSize, offset: (page - 1) * pageSize } } })), [filter, page]);
  const canReview = has(me?.permissions, "orders:review");

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await call();
      void message.success(t("lc.done"));
      setApproving(undefined); setRejecting(undefined);
      list.reload();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  const path = (r: Return) => ({ params: { path: { return_id: r.id } } });

  return (
    <>
      <PageTitle title={t("lc.returnsTitle")} sub={t("lc.returnsSub")}
        extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>{t("common.refresh")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Segmented<Filter> value={filter} onChange={(v) => { setFilter(v); setPage(1); }}
          options={(["requested", "approved", "rejected", "all"] as const).map((s) => ({
            value: s, label: s === "all" ? t("common.all") : t(`lc.returnStatus.${s}`) }))} />
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <ReturnsTable items={list.data?.items} loading={list.loading} showCustomer
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
          actions={(r) => canReview && r.status === "requested" && (
            <Space>
              <Button size="small" type="primary" icon={<CheckOutlined />}
                onClick={() => { form.setFieldsValue({ refund_amount: r.amount, note: undefined }); setApproving(r); }}>{t("lc.approve")}</Button>
              <Button size="small" danger icon={<CloseOutlined />} onClick={() => setRejecting(r)}>{t("lc.reject")}</Button>
            </Space>)} />
      </Card>
      <Modal open={!!approving} title={t("lc.approveReturn", { number: approving?.order_number ?? "" })}
        onCancel={() => setApproving(undefined)} okButtonProps={{ loading: busy }}
        onOk={() => void form.validateFields().then((v) => approving && run(() => unwrap(api.POST(
          "/api/console/returns/{return_id}/approve", { ...path(approving),
            body: { refund_amount: String(v.refund_amount), note: v.note?.trim() || null } }))))}>
        <Form form={form} layout="vertical" name="approve-return">
          <Form.Item name="refund_amount" label={t("lc.refund")} extra={t("lc.refundHint")}
            rules={[{ required: true, message: t("validation.required") }]}>
            <InputNumber<string> stringMode min="0" step="0.01" precision={2} prefix="¥" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="note" label={t("field.remark")}><Input.TextArea maxLength={500} /></Form.Item>
        </Form>
      </Modal>
      {rejecting && <TextDialog title={t("lc.rejectReturn", { number: rejecting.order_number })} label={t("field.reason")}
        busy={busy} onClose={() => setRejecting(undefined)}
        onSend={(reason) => void run(() => unwrap(api.POST("/api/console/returns/{return_id}/reject", { ...path(rejecting), body: { reason } })))} />}
    </>
  );
}
