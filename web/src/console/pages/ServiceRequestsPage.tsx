import { App, Button, Card, Form, Input, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { when } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { machineLabel, STAFF_TARGETS, STATUSES, UNFINISHED } from "../../lib/serviceRequests";
import type { ReportStatus } from "../../lib/serviceRequests";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad } from "../../shared/hooks";
import { ReportStatusTag, ReportView } from "../../shared/ServiceRequest";
import type { ReportSummary } from "../../shared/ServiceRequest";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";

const PAGE = 20;

/** 故障报修 (S-1, C-7): the queue of fault reports, unfinished ones first by default;
 *  staff bound to areas see their areas' customers only. */
export function ServiceRequestsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [statuses, setStatuses] = useState<ReportStatus[]>(UNFINISHED);
  const [customerId, setCustomerId] = useState<string>();
  const [page, setPage] = useState(1);
  const list = useLoad(() => unwrapList(api.GET("/api/console/service-requests", { params: { query: {
    status: statuses.length ? statuses : undefined, customer_id: customerId, limit: PAGE,
    offset: (page - 1) * PAGE } } })), [statuses.join(","), customerId, page]);

  return (
    <>
      <PageTitle title={t("service.consoleTitle")} sub={t("service.consoleSub")} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Space wrap style={{ padding: 16 }}>
          <Select<ReportStatus[]> mode="multiple" allowClear value={statuses} style={{ minWidth: 320, maxWidth: "100%" }}
            placeholder={t("service.allStatuses")} data-testid="status-filter"
            onChange={(v) => { setStatuses(v); setPage(1); }}
            options={STATUSES.map((s) => ({ value: s, label: t(`service.status.${s}`) }))} />
          <CustomerSelect value={customerId} placeholder={t("service.customerFilter")}
            style={{ width: 280, maxWidth: "100%" }}
            onChange={(v) => { setCustomerId(typeof v === "string" ? v : undefined); setPage(1); }} />
        </Space>
        <Table<ReportSummary> rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }}
          data-testid="report-queue"
          onRow={(r) => ({ onClick: () => navigate(`/service-requests/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize: PAGE, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t("service.reportedAt"), dataIndex: "created_at", width: 150, render: (v: string) => when(v) },
            ellipsisColumn<ReportSummary>({ title: t("service.customer"), dataIndex: "customer_name", width: 180,
              render: (v: string, r) => <>{v}{r.customer_number && <Typography.Text type="secondary"> {r.customer_number}</Typography.Text>}</> }),
            ellipsisColumn<ReportSummary>({ title: t("service.machine"), key: "machine", width: 200,
              render: (_: unknown, r) => <Link to={`/service-requests/${r.id}`}>{machineLabel(r)}</Link> }),
            ellipsisColumn<ReportSummary>({ title: t("service.description"), dataIndex: "description", width: 260 }),
            { title: t("service.photoColumn"), dataIndex: "photo_count", width: 70 },
            { title: t("service.status.label"), dataIndex: "status", width: 130, render: (s: string) => <ReportStatusTag status={s} /> },
          ]} />
      </Card>
    </>
  );
}

/** One report for staff: thread and photos; reply with a status, close when resolved. */
export function ServiceRequestDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const { report } = useApiError();
  const loaded = useLoad(() => unwrap(api.GET("/api/console/service-requests/{request_id}", {
    params: { path: { request_id: id } } })), [id]);
  const [form] = Form.useForm<{ message: string; status?: (typeof STAFF_TARGETS)[number] }>();
  const [busy, setBusy] = useState(false);
  const canEnter = has(me?.permissions, "service_desk:entry");
  const r = loaded.data;

  const send = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/service-requests/{request_id}/replies", {
        params: { path: { request_id: id } }, body: { message: v.message.trim(), status: v.status ?? null } }));
      form.resetFields();
      void message.success(t("service.replied"));
      loaded.reload();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  const close = () => modal.confirm({
    title: t("service.closeTitle"), content: t("service.closeHintStaff"), okText: t("service.close"),
    onOk: async () => {
      try {
        await unwrap(api.POST("/api/console/service-requests/{request_id}/close", { params: { path: { request_id: id } } }));
        void message.success(t("service.closed"));
        loaded.reload();
      } catch (err) { report(err); }
    },
  });

  return (
    <>
      <PageTitle title={t("service.detailTitle")} sub={<Link to="/service-requests">{t("service.backQueue")}</Link>}
        extra={canEnter && r?.actions.includes("close") && <Button onClick={close} data-testid="close-report">{t("service.close")}</Button>} />
      <ErrorAlert error={loaded.error} />
      {r && <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ReportView report={r} side="console" />
        {canEnter && r.actions.includes("reply") && <Card size="small" title={t("service.reply")}>
          <Form form={form} layout="vertical" name="staff-reply">
            <Form.Item name="message" rules={[{ required: true, whitespace: true, message: t("service.messageRequired") }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("service.staffReplyPlaceholder")} data-testid="reply-text" />
            </Form.Item>
            <Form.Item name="status" label={t("service.moveTo")} extra={t("service.moveToHint")}>
              <Select allowClear style={{ maxWidth: 280 }} data-testid="reply-status"
                options={STAFF_TARGETS.map((s) => ({ value: s, label: t(`service.status.${s}`) }))} />
            </Form.Item>
            <Button type="primary" loading={busy} onClick={() => void send()} data-testid="send-reply">{t("service.send")}</Button>
          </Form>
        </Card>}
      </Space>}
    </>
  );
}
