import { PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Card, Drawer, Empty, Form, Grid, Input, List, Segmented, Select, Space, Typography,
  Upload } from "antd";
import type { UploadFile } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { when } from "../../lib/orders";
import { machineLabel, MAX_PHOTOS, PHOTO_ACCEPT, photoProblem, photosLeft, uploadPhoto } from "../../lib/serviceRequests";
import { useApiError, useLoad } from "../../shared/hooks";
import { ReportStatusTag, ReportView } from "../../shared/ServiceRequest";
import type { Report, ReportSummary } from "../../shared/ServiceRequest";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type Filter = "all" | "unfinished" | "resolved" | "closed";
const FILTERS: Record<Filter, ("open" | "in_progress" | "waiting_for_customer" | "resolved" | "closed")[] | undefined> = {
  all: undefined, unfinished: ["open", "in_progress", "waiting_for_customer"], resolved: ["resolved"],
  closed: ["closed"],
};

/** 售后服务 (S-1): the company's fault reports with their status, and a new report. */
export function ServicePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>("all");
  const [reporting, setReporting] = useState(false);
  const list = useLoad(() => unwrapList(api.GET("/api/portal/service-requests", { params: { query: {
    status: FILTERS[filter], limit: 100 } } })), [filter]);

  return (
    <>
      <PageTitle title={t("service.portalTitle")} sub={t("service.portalSub")}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)}
          data-testid="new-report">{t("service.newReport")}</Button>} />
      <ErrorAlert error={list.error} />
      <Segmented<Filter> value={filter} onChange={setFilter} style={{ marginBottom: 16, maxWidth: "100%", overflowX: "auto" }}
        options={(Object.keys(FILTERS) as Filter[]).map((f) => ({ value: f, label: t(`service.filter.${f}`) }))} />
      <List<ReportSummary> loading={list.loading} dataSource={list.data?.items} data-testid="my-reports"
        locale={{ emptyText: <Empty description={t("service.empty")} /> }}
        renderItem={(r) => (
          <List.Item style={{ cursor: "pointer" }} onClick={() => navigate(`/service/${r.id}`)} data-testid="report-item">
            <List.Item.Meta
              title={<Space wrap size={4}><ReportStatusTag status={r.status} /><Link to={`/service/${r.id}`}>{machineLabel(r)}</Link></Space>}
              description={<>
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{r.description}</Typography.Paragraph>
                <Typography.Text type="secondary">
                  {when(r.created_at)}{r.photo_count ? ` · ${t("service.photoCount", { n: r.photo_count })}` : ""}</Typography.Text>
              </>} />
          </List.Item>)} />
      {reporting && <NewReport onClose={() => setReporting(false)}
        onDone={(id) => { setReporting(false); navigate(`/service/${id}`); }} />}
    </>
  );
}

interface ReportForm { machine_id?: string; machine?: string; model?: string; description: string }

/** 报修: one of the company's machines or a typed name, what is wrong, up to six photos. */
function NewReport({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<ReportForm>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const machines = useLoad(() => unwrapList(api.GET("/api/portal/machines", { params: { query: { limit: 200 } } })), []);
  const picked = Form.useWatch("machine_id", form);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await unwrap(api.POST("/api/portal/service-requests", { body: {
        machine_id: v.machine_id || null, machine: v.machine_id ? null : v.machine?.trim() || null,
        model: v.machine_id ? null : v.model?.trim() || null, description: v.description.trim() } }));
      const failed = await uploadAll(created.id, files, report);
      if (failed) void message.warning(t("service.photosFailed", { n: failed }));
      else void message.success(t("service.reported"));
      onDone(created.id);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };

  return (
    <Drawer open title={t("service.newReport")} onClose={onClose} width={screens.sm ? 520 : "100%"}
      extra={<Button type="primary" loading={busy} onClick={() => void submit()} data-testid="submit-report">
        {t("service.submit")}</Button>}>
      <Form form={form} layout="vertical" name="report">
        <Form.Item name="machine_id" label={t("service.pickMachine")} extra={t("service.pickMachineHint")}>
          <Select allowClear showSearch optionFilterProp="label" loading={machines.loading} data-testid="machine-select"
            placeholder={t("service.pickMachinePlaceholder")}
            options={(machines.data?.items ?? []).map((m) => ({
              value: m.id, label: [m.name, m.model, m.machine_number].filter(Boolean).join(" · ") }))} />
        </Form.Item>
        {!picked && <>
          <Form.Item name="machine" label={t("service.machineName")}
            rules={[{ required: true, whitespace: true, message: t("service.machineRequired") }]}>
            <Input maxLength={100} placeholder={t("service.machinePlaceholder")} />
          </Form.Item>
          <Form.Item name="model" label={t("service.model")}><Input maxLength={100} /></Form.Item>
        </>}
        <Form.Item name="description" label={t("service.description")}
          rules={[{ required: true, whitespace: true, message: t("service.descriptionRequired") }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t("service.descriptionPlaceholder")} />
        </Form.Item>
        <Form.Item label={t("service.photosLabel", { n: MAX_PHOTOS })} extra={t("service.photoHint")}>
          <PhotoPicker files={files} onChange={setFiles} max={MAX_PHOTOS} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** antd Upload kept in the browser until the report exists; wrong type or size is refused here. */
function PhotoPicker({ files, onChange, max }: { files: UploadFile[]; onChange: (f: UploadFile[]) => void; max: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Upload listType="picture-card" accept={PHOTO_ACCEPT} multiple fileList={files} maxCount={max}
      beforeUpload={(file) => {
        const problem = photoProblem(file);
        if (problem) {
          void message.error(t(`service.photo.${problem}`, { name: file.name }));
          return Upload.LIST_IGNORE;
        }
        return false; // kept here, sent after the report is created
      }}
      onChange={({ fileList }) => onChange(fileList.slice(0, max))}
      data-testid="photo-upload">
      {files.length < max && <div><UploadOutlined /><div style={{ marginTop: 4 }}>{t("service.addPhoto")}</div></div>}
    </Upload>
  );
}

/** Upload the picked photos one by one; the number that failed (each reported). */
async function uploadAll(requestId: string, files: UploadFile[], report: (err: unknown) => void): Promise<number> {
  let failed = 0;
  for (const f of files) {
    if (!f.originFileObj) continue;
    try { await uploadPhoto(requestId, f.originFileObj, f.name); } catch (err) { failed += 1; report(err); }
  }
  return failed;
}

/** One report: facts, photos, thread; reply, add photos, close when resolved. */
export function ServiceDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { report } = useApiError();
  const loaded = useLoad(() => unwrap(api.GET("/api/portal/service-requests/{request_id}", {
    params: { path: { request_id: id } } })), [id]);
  const [form] = Form.useForm<{ message: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const r: Report | undefined = loaded.data;

  const send = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/service-requests/{request_id}/replies", {
        params: { path: { request_id: id } }, body: { message: v.message.trim() } }));
      form.resetFields();
      void message.success(t("service.replied"));
      loaded.reload();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  const addPhotos = async () => {
    setBusy(true);
    try {
      const failed = await uploadAll(id, files, report);
      if (!failed) void message.success(t("service.photosAdded"));
      setFiles([]);
      loaded.reload();
    } finally { setBusy(false); }
  };
  const close = () => modal.confirm({
    title: t("service.closeTitle"), content: t("service.closeHint"), okText: t("service.close"),
    onOk: async () => {
      try {
        await unwrap(api.POST("/api/portal/service-requests/{request_id}/close", { params: { path: { request_id: id } } }));
        void message.success(t("service.closed"));
        loaded.reload();
      } catch (err) { report(err); }
    },
  });

  return (
    <>
      <PageTitle title={t("service.detailTitle")} sub={<Link to="/service">{t("service.back")}</Link>}
        extra={r?.actions.includes("close") && <Button onClick={close} data-testid="close-report">{t("service.close")}</Button>} />
      <ErrorAlert error={loaded.error} />
      {r && <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ReportView report={r} side="portal" />
        {r.status === "resolved" && <Typography.Text type="secondary">{t("service.resolvedHint")}</Typography.Text>}
        {r.actions.includes("reply") && <Card size="small" title={t("service.reply")}>
          <Form form={form} layout="vertical" name="reply">
            <Form.Item name="message" rules={[{ required: true, whitespace: true, message: t("service.messageRequired") }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("service.replyPlaceholder")} data-testid="reply-text" />
            </Form.Item>
            <Button type="primary" loading={busy} onClick={() => void send()} data-testid="send-reply">{t("service.send")}</Button>
          </Form>
        </Card>}
        {r.actions.includes("photos") && photosLeft(r.photos.length) > 0 && <Card size="small" title={t("service.addPhotos")}>
          <PhotoPicker files={files} onChange={setFiles} max={photosLeft(r.photos.length)} />
          <Button disabled={!files.length} loading={busy} onClick={() => void addPhotos()} data-testid="upload-photos">
            {t("service.upload")}</Button>
        </Card>}
      </Space>}
    </>
  );
}
