import { EditOutlined, PauseCircleOutlined, PlayCircleOutlined } from "@ant-design/icons";
import { Alert, App, Button, Checkbox, Descriptions, Drawer, Empty, Form, Input, Modal, Space, Tag, Timeline,
  Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import { recordActions } from "../../../lib/maintenance";
import { when } from "../../../lib/orders";
import { has } from "../../../lib/permissions";
import { useAuth } from "../../../shared/auth";
import { useApiError, useLoad } from "../../../shared/hooks";
import { ErrorAlert, Money } from "../../../shared/ui";
import { RecordForm } from "./RecordForm";
import { RepairPoints } from "./RepairPoints";
import { machineText } from "./data";
import { FlagTags, KindTag, PaymentTag, StateTag } from "./parts";
import type { RecordOut } from "./parts";

/** A record with every field, its repair processing entries as a timeline, and the work on
 *  it: 追加处理记录, 挂起 / 恢复, 编辑; a processed repair links its return visit and a
 *  return visit the repair it follows. */
export function RecordDrawer({ id, onOpen, onClose, onChanged }:
    { id: string; onOpen: (id: string) => void; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const loaded = useLoad(() => unwrap(api.GET("/api/console/maintenance-records/{record_id}", {
    params: { path: { record_id: id } } })), [id]);
  const [record, setRecord] = useState<RecordOut>();
  const [editing, setEditing] = useState(false);
  const [suspending, setSuspending] = useState(false);
  const [entry] = Form.useForm<{ content: string; engineer?: string; processed?: boolean }>();
  const [busy, setBusy] = useState(false);
  const r = record?.id === id ? record : loaded.data;
  const canEnter = has(me?.permissions, "service_desk:entry");
  const actions = r ? recordActions(r) : undefined;

  const changed = (next: RecordOut) => { setRecord(next); onChanged(); };
  const refresh = async () => {
    try {
      changed(await unwrap(api.GET("/api/console/maintenance-records/{record_id}", {
        params: { path: { record_id: id } } })));
    } catch (err) { report(err); }
  };

  const addEntry = async () => {
    if (!r) return;
    const v = await entry.validateFields();
    setBusy(true);
    try {
      const next = await unwrap(api.POST("/api/console/maintenance-records/{record_id}/entries", {
        params: { path: { record_id: r.id } },
        body: { content: v.content.trim(), engineer: v.engineer?.trim() || null, processed: Boolean(v.processed) } }));
      entry.resetFields();
      void message.success(t(next.return_visit_id ? "maintenance.processedWithVisit"
        : next.processed ? "maintenance.processedDone" : "maintenance.entryAdded"));
      changed(next);
    } catch (err) { report(err, entry); } finally { setBusy(false); }
  };

  const resume = async () => {
    if (!r) return;
    setBusy(true);
    try {
      changed(await unwrap(api.POST("/api/console/maintenance-records/{record_id}/resume", {
        params: { path: { record_id: r.id } } })));
      void message.success(t("maintenance.resumed"));
    } catch (err) { report(err); } finally { setBusy(false); }
  };

  return (
    <Drawer open onClose={onClose} width="min(760px, 100vw)"
      title={r ? <Space>{t("maintenance.record")}<KindTag kind={r.kind} /><StateTag record={r} /></Space> : t("maintenance.record")}
      extra={r && canEnter && <Space>
        {actions?.suspend && <Button icon={<PauseCircleOutlined />} onClick={() => setSuspending(true)}>
          {t("maintenance.suspend")}</Button>}
        {actions?.resume && <Button icon={<PlayCircleOutlined />} loading={busy} onClick={() => void resume()}>
          {t("maintenance.resume")}</Button>}
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t("common.edit")}</Button>
      </Space>}>
      <div data-testid="record-drawer">
        <ErrorAlert error={loaded.error} />
        {r && <>
          {r.return_visit_id && <Alert type="success" showIcon style={{ marginBottom: 16 }} data-testid="return-visit-created"
            message={t("maintenance.visitCreated")}
            action={<Button size="small" type="link" onClick={() => onOpen(r.return_visit_id!)}>
              {t("maintenance.openVisit")}</Button>} />}
          {r.kind === "return_visit" && r.follows_record_id && <Alert type="info" showIcon style={{ marginBottom: 16 }}
            data-testid="follows-repair"
            message={r.due_on ? t("maintenance.followsDue", { date: r.due_on }) : t("maintenance.follows")}
            action={<Button size="small" type="link" onClick={() => onOpen(r.follows_record_id!)}>
              {t("maintenance.openRepair")}</Button>} />}
          {r.suspended && <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="suspended-reason"
            message={t("maintenance.suspendedBecause", { reason: r.suspended_reason ?? "" })} />}
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} data-testid="record-details">
            <Descriptions.Item label={t("maintenance.customer")}>
              {r.customer_name ?? "—"} {r.customer_number && <Typography.Text type="secondary">{r.customer_number}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t("maintenance.area")}>{r.area ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("maintenance.serviceDate")}>{r.service_date}</Descriptions.Item>
            <Descriptions.Item label={t("maintenance.category")}>{r.category_name ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("maintenance.machine")}>{machineText(r) || "—"}</Descriptions.Item>
            <Descriptions.Item label={t("maintenance.engineer")}>{r.engineer ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("maintenance.charge")}>
              <Money value={r.charge} /> <PaymentTag status={r.payment_status} /></Descriptions.Item>
            <Descriptions.Item label={t("maintenance.flags")}>
              <FlagTags record={r} />{!r.return_to_factory && !r.key_matter && !r.due_on && "—"}</Descriptions.Item>
            {r.return_to_factory && <Descriptions.Item label={t("maintenance.factoryMethod")} span={2}>
              {r.factory_return_method ?? "—"}</Descriptions.Item>}
            <Descriptions.Item label={t("maintenance.accessories")} span={2}>
              {r.accessories.length ? r.accessories.map((a, i) => <Tag key={i}>{a.name} × {a.quantity}</Tag>) : "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("maintenance.content")} span={2}>
              <span style={{ whiteSpace: "pre-wrap" }}>{r.content}</span></Descriptions.Item>
            {r.processed_at && <Descriptions.Item label={t("maintenance.processedAt")}>{when(r.processed_at)}</Descriptions.Item>}
            <Descriptions.Item label={t("maintenance.createdBy")}>{r.created_by} · {when(r.created_at)}</Descriptions.Item>
          </Descriptions>
          <div style={{ marginTop: 16 }}>
            <RepairPoints record={r} canEnter={canEnter} onChanged={() => void refresh()} />
          </div>

          <Typography.Title level={5} style={{ marginTop: 24 }}>{t("maintenance.entries")}</Typography.Title>
          <div data-testid="record-entries">
            {r.entries.length
              ? <Timeline items={r.entries.map((e) => ({
                color: e.processed ? "green" : "blue",
                children: <div data-testid="record-entry">
                  <Typography.Text type="secondary">
                    {t("maintenance.entryNo", { n: e.position })} · {when(e.created_at)} · {e.engineer ?? e.created_by}
                  </Typography.Text>
                  {e.processed && <Tag color="success" style={{ marginLeft: 8 }}>{t("maintenance.state.processed")}</Tag>}
                  <div style={{ whiteSpace: "pre-wrap" }}>{e.content}</div>
                </div>,
              }))} />
              : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("maintenance.noEntries")} />}
          </div>

          {canEnter && actions?.addEntry && <div data-testid="entry-form">
            <Typography.Title level={5}>{t("maintenance.addEntry")}</Typography.Title>
            <Form form={entry} layout="vertical" name="maintenance-entry">
              <Form.Item name="content" label={t("maintenance.entryContent")}
                rules={[{ required: true, whitespace: true, message: t("maintenance.contentRequired") }]}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
              <Space align="start" wrap>
                <Form.Item name="engineer" label={t("maintenance.engineer")}>
                  <Input maxLength={50} placeholder={r.engineer ?? undefined} />
                </Form.Item>
                <Form.Item name="processed" valuePropName="checked" label=" ">
                  <Checkbox>{t("maintenance.markProcessed")}</Checkbox>
                </Form.Item>
              </Space>
              <Button type="primary" loading={busy} onClick={() => void addEntry()}>{t("maintenance.saveEntry")}</Button>
            </Form>
          </div>}
        </>}
      </div>
      {editing && r && <RecordForm record={r} onClose={(saved) => { setEditing(false); if (saved) changed(saved); }} />}
      {suspending && r && <SuspendModal id={r.id} onClose={(next) => { setSuspending(false); if (next) changed(next); }} />}
    </Drawer>
  );
}

function SuspendModal({ id, onClose }: { id: string; onClose: (next?: RecordOut) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const next = await unwrap(api.POST("/api/console/maintenance-records/{record_id}/suspend", {
        params: { path: { record_id: id } }, body: { reason: v.reason.trim() } }));
      void message.success(t("maintenance.suspended"));
      onClose(next);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open title={t("maintenance.suspendTitle")} onOk={() => void save()} okButtonProps={{ loading: busy }}
      onCancel={() => onClose()} destroyOnHidden>
      <Form form={form} layout="vertical" name="maintenance-suspend">
        <Form.Item name="reason" label={t("maintenance.suspendReason")} extra={t("maintenance.suspendHint")}
          rules={[{ required: true, whitespace: true, message: t("maintenance.suspendReasonRequired") }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
