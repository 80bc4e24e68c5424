import { DeleteOutlined, EyeOutlined, RedoOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Select, Space,
  Table, Tabs, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { DEAD_LETTER_STATUSES, isKnownReason, pretty, serviceOptions, shortId,
  unavailableServices } from "../../lib/deadLetters";
import type { DeadLetterStatus } from "../../lib/deadLetters";
import { when } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useUrlFilters } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type DeadLetter = Schemas["DeadLetterOut"];
type OutboxFailure = Schemas["OutboxFailureOut"];

const STATUS_COLORS: Record<string, string> = { open: "error", replayed: "success", discarded: "default" };

/** Dead letters for operators (B-7): what the consumers could not process (and why),
 *  replayed onto their queue or discarded with a reason; and the events whose publishing
 *  the relays gave up on, handed back to them. Filters live in the address. */
export function DeadLettersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "outbox" ? "outbox" : "dead";
  const setTab = (key: string) => {
    const next = new URLSearchParams();
    if (key === "outbox") next.set("tab", "outbox");
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageTitle title={t("ops.title")} sub={t("ops.sub")} />
      <Tabs activeKey={tab} onChange={setTab} items={[
        { key: "dead", label: t("ops.tabs.deadLetters"), children: <DeadLetterList /> },
        { key: "outbox", label: t("ops.tabs.outbox"), children: <OutboxFailures /> },
      ]} />
    </>
  );
}

function ReasonTag({ reason, error }: { reason: string; error?: string | null }) {
  const { t } = useTranslation();
  const tag = <Tag color={reason === "handler_failed" ? "volcano" : "orange"}>
    {isKnownReason(reason) ? t(`ops.reasonValue.${reason}`) : reason}</Tag>;
  return error ? <Tooltip title={error}>{tag}</Tooltip> : tag;
}

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status] ?? "default"}>{t(`ops.statusValue.${status}`, status)}</Tag>;
}

function DeadLetterList() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canReplay = has(me?.permissions, "ops:entry");
  const canDiscard = has(me?.permissions, "ops:modify");
  const { params, update } = useUrlFilters();
  const service = params.get("service") ?? undefined;
  const status = (params.get("status") ?? "open") as DeadLetterStatus;
  const page = Number(params.get("page") ?? 1) || 1;
  const pageSize = 20;
  const [open, setOpen] = useState<string>();
  const [replaying, setReplaying] = useState<DeadLetter>();
  const [discarding, setDiscarding] = useState<DeadLetter>();
  const queues = useLoad(() => unwrap(api.GET("/api/console/ops/dead-letters/queues")), []);
  const list = useLoad(() => unwrapList(api.GET("/api/console/ops/dead-letters", { params: { query: {
    service, status, limit: pageSize, offset: (page - 1) * pageSize } } })), [service, status, page]);

  const set = (key: string, value: string | undefined) => update({ [key]: value });
  const changed = () => { list.reload(); queues.reload(); };

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<string> allowClear placeholder={t("ops.allServices")} style={{ width: 200 }} value={service}
            data-testid="filter-service" onChange={(v) => set("service", v)} loading={queues.loading}
            options={serviceOptions(queues.data ?? []).map((s) => ({
              value: s.value, label: s.open ? `${s.value} (${s.open})` : s.value }))} />
          <Select<DeadLetterStatus> style={{ width: 130 }} value={status} data-testid="filter-status"
            onChange={(v) => set("status", v === "open" ? undefined : v)}
            options={DEAD_LETTER_STATUSES.map((s) => ({ value: s, label: t(`ops.statusValue.${s}`) }))} />
          <Button onClick={changed}>{t("common.refresh")}</Button>
        </Space>
      </Card>
      <ErrorAlert error={list.error ?? queues.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<DeadLetter>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1150 }}
          data-testid="dead-letters-table" locale={{ emptyText: t("ops.empty") }}
          pagination={{ current: page, pageSize, total: list.data?.total, showSizeChanger: false,
            onChange: (p) => set("page", p > 1 ? String(p) : undefined), showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("ops.lastDeath"), dataIndex: "last_death_at", width: 110, render: (v: string) => when(v) },
            { title: t("ops.service"), dataIndex: "service", width: 80 },
            { title: t("ops.eventType"), key: "event", width: 200,
              render: (_: unknown, d: DeadLetter) => (<>
                <div>{d.event_type ?? "—"}</div>
                <Tooltip title={d.message_key}>
                  <Typography.Text code style={{ whiteSpace: "nowrap", fontSize: 12 }}>{shortId(d.message_key)}</Typography.Text>
                </Tooltip>
              </>) },
            { title: t("ops.reason"), key: "reason", width: 230,
              render: (_: unknown, d: DeadLetter) => (<>
                <ReasonTag reason={d.reason} />
                {d.error && <Tooltip title={d.error}>
                  <Typography.Paragraph type="danger" ellipsis={{ rows: 1 }} style={{ margin: "4px 0 0", fontSize: 12 }}>
                    {d.error}</Typography.Paragraph></Tooltip>}
              </>) },
            { title: t("ops.deathCount"), dataIndex: "death_count", width: 66, align: "right" },
            { title: t("ops.preview"), dataIndex: "preview", ellipsis: { showTitle: false },
              render: (v: string) => <Tooltip title={v}><Typography.Text type="secondary">{v}</Typography.Text></Tooltip> },
            { title: t("ops.status"), dataIndex: "status", width: 110,
              render: (v: string, d: DeadLetter) => (<>
                <StatusTag status={v} />
                {d.resolved_by && <Tooltip title={d.resolution_reason}>
                  <div style={{ fontSize: 12, color: "rgba(0,0,0,0.45)" }}>{d.resolved_by}</div></Tooltip>}
              </>) },
            { title: t("common.actions"), key: "a", width: status === "open" && (canReplay || canDiscard) ? 220 : 90,
              fixed: "right" as const,
              render: (_: unknown, d: DeadLetter) => (
                <Space size={4}>
                  <Button size="small" icon={<EyeOutlined />} data-testid="dl-view"
                    onClick={() => setOpen(d.id)}>{t("ops.view")}</Button>
                  {canReplay && d.status === "open" && <Button size="small" icon={<RedoOutlined />}
                    data-testid="dl-replay" onClick={() => setReplaying(d)}>{t("ops.replay")}</Button>}
                  {canDiscard && d.status === "open" && <Button size="small" danger icon={<DeleteOutlined />}
                    data-testid="dl-discard" onClick={() => setDiscarding(d)}>{t("ops.discard")}</Button>}
                </Space>) },
          ]}
        />
      </Card>
      <DeadLetterDrawer id={open} onClose={() => setOpen(undefined)}
        onReplay={canReplay ? setReplaying : undefined} onDiscard={canDiscard ? setDiscarding : undefined} />
      <ReplayModal letter={replaying} onClose={() => setReplaying(undefined)}
        onDone={() => { setReplaying(undefined); setOpen(undefined); changed(); }} />
      <DiscardModal letter={discarding} onClose={() => setDiscarding(undefined)}
        onDone={() => { setDiscarding(undefined); setOpen(undefined); changed(); }} />
    </>
  );
}

function DeadLetterDrawer({ id, onClose, onReplay, onDiscard }: { id?: string; onClose: () => void;
    onReplay?: (d: DeadLetter) => void; onDiscard?: (d: DeadLetter) => void }) {
  const { t } = useTranslation();
  const detail = useLoad(() => id
    ? unwrap(api.GET("/api/console/ops/dead-letters/{dead_letter_id}", { params: { path: { dead_letter_id: id } } }))
    : Promise.resolve(undefined), [id]);
  const d = detail.data;
  const actionable = d?.status === "open";
  return (
    <Drawer open={!!id} width={Math.min(900, window.innerWidth)} destroyOnHidden onClose={onClose}
      title={t("ops.detail")} data-testid="dl-drawer"
      extra={d && actionable && <Space>
        {onReplay && <Button icon={<RedoOutlined />} onClick={() => onReplay(d)}>{t("ops.replay")}</Button>}
        {onDiscard && <Button danger icon={<DeleteOutlined />} data-testid="drawer-discard"
          onClick={() => onDiscard(d)}>{t("ops.discard")}</Button>}
      </Space>}>
      <ErrorAlert error={detail.error} />
      {d && <>
        <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}
          styles={{ label: { whiteSpace: "nowrap" } }} items={[
          { key: "service", label: t("ops.service"), children: d.service },
          { key: "queue", label: t("ops.queue"), children: <Typography.Text code>{d.queue}</Typography.Text> },
          { key: "type", label: t("ops.eventType"), children: d.event_type ?? "—" },
          { key: "id", label: t("ops.eventId"), children: <Typography.Text copyable>{d.event_id ?? d.message_key}</Typography.Text> },
          { key: "reason", label: t("ops.reason"), children: <ReasonTag reason={d.reason} /> },
          { key: "count", label: t("ops.deathCount"), children: d.death_count },
          { key: "first", label: t("ops.firstDeath"), children: when(d.first_death_at) },
          { key: "last", label: t("ops.lastDeath"), children: when(d.last_death_at) },
          { key: "routing", label: t("ops.routingKey"), children: d.routing_key ?? "—" },
          { key: "status", label: t("ops.status"), children: <StatusTag status={d.status} /> },
          { key: "error", label: t("ops.error"), span: 2, children: d.error
            ? <Typography.Text type="danger" style={{ whiteSpace: "pre-wrap" }}>{d.error}</Typography.Text> : "—" },
          ...(d.status !== "open" ? [
            { key: "by", label: t("ops.resolvedBy"), children: d.resolved_by ?? "—" },
            { key: "at", label: t("ops.resolvedAt"), children: when(d.resolved_at) },
            { key: "why", label: t("ops.resolutionReason"), span: 2, children: d.resolution_reason ?? "—" },
          ] : []),
        ]} />
        <Typography.Title level={5}>{t("ops.payload")}</Typography.Title>
        <pre data-testid="dl-payload" style={{ background: "#fafafa", padding: 12, border: "1px solid #f0f0f0",
          borderRadius: 6, maxHeight: 420, overflow: "auto", fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {d.payload}</pre>
        <Typography.Title level={5}>{t("ops.headers")}</Typography.Title>
        <pre style={{ background: "#fafafa", padding: 12, border: "1px solid #f0f0f0", borderRadius: 6,
          maxHeight: 240, overflow: "auto", fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {pretty(d.headers)}</pre>
      </>}
    </Drawer>
  );
}

function ReplayModal({ letter, onClose, onDone }: { letter?: DeadLetter; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ reason?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!letter) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/ops/dead-letters/{dead_letter_id}/replay", {
        params: { path: { dead_letter_id: letter.id } }, body: { reason: reason?.trim() || null } }));
      void message.success(t("ops.replayed"));
      form.resetFields();
      onDone();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!letter} title={t("ops.replayTitle")} okText={t("ops.replay")} confirmLoading={busy}
      onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph>{t("ops.replayConfirm", { queue: letter?.queue })}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t("ops.replayReason")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="replay-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DiscardModal({ letter, onClose, onDone }: { letter?: DeadLetter; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!letter) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/ops/dead-letters/{dead_letter_id}/discard", {
        params: { path: { dead_letter_id: letter.id } }, body: { reason: reason.trim() } }));
      void message.success(t("ops.discarded"));
      form.resetFields();
      onDone();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!letter} title={t("ops.discardTitle")} okText={t("ops.discard")} okButtonProps={{ danger: true }}
      confirmLoading={busy} onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Alert type="warning" showIcon message={t("ops.discardHint")} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t("ops.discardReason")}
          rules={[{ required: true, whitespace: true, message: t("ops.discardReasonRequired") }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="discard-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OutboxFailures() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const canReplay = has(me?.permissions, "ops:entry");
  const [service, setService] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const list = useLoad(async () => {
    let header: string | null = null;
    const items = await unwrap(api.GET("/api/console/ops/outbox-failures", { params: { query: {
      service, limit: 200 } } }).then((r) => { header = r.response.headers.get("X-Unavailable-Services"); return r; }));
    return { items, unavailable: unavailableServices(header) };
  }, [service]);
  const services = ["gateway", "customer", "order", "invoice", "points", "servicedesk", "notify"];

  const replay = async (f: OutboxFailure) => {
    setBusy(f.event_id);
    try {
      await unwrap(api.POST("/api/console/ops/outbox-failures/{service}/{event_id}/replay", {
        params: { path: { service: f.service, event_id: f.event_id } }, body: {} }));
      void message.success(t("ops.outboxReplayed"));
    } catch (err) {
      report(err);
    } finally {
      setBusy(undefined);
      list.reload();
    }
  };

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<string> allowClear placeholder={t("ops.allServices")} style={{ width: 200 }} value={service}
            data-testid="outbox-filter-service" onChange={setService}
            options={services.map((s) => ({ value: s, label: s }))} />
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      {!!list.data?.unavailable.length && <Alert type="warning" showIcon style={{ marginBottom: 16 }}
        message={t("ops.unavailable", { services: list.data.unavailable.join(", ") })} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<OutboxFailure>
          rowKey={(f) => `${f.service}:${f.event_id}`} loading={list.loading} dataSource={list.data?.items}
          scroll={{ x: 1200 }} locale={{ emptyText: t("ops.outboxEmpty") }} data-testid="outbox-table"
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => t("common.total", { n }) }}
          expandable={{ expandedRowRender: (f) => <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap" }}>
            {pretty(f.envelope ?? f.preview)}</pre> }}
          columns={[
            { title: t("ops.givenUpAt"), dataIndex: "given_up_at", width: 140, render: (v: string) => when(v) },
            { title: t("ops.service"), dataIndex: "service", width: 110 },
            ellipsisColumn<OutboxFailure>({ title: t("ops.eventType"), dataIndex: "event_type", width: 200 }),
            { title: t("ops.eventId"), dataIndex: "event_id", width: 110,
              render: (v: string) => <Tooltip title={v}><Typography.Text code>{shortId(v)}</Typography.Text></Tooltip> },
            { title: t("ops.attempts"), dataIndex: "attempts", width: 90, align: "right" },
            { title: t("ops.lastError"), dataIndex: "last_error", ellipsis: { showTitle: false },
              render: (v: string | null) => v ? <Tooltip title={v}><Typography.Text type="danger">{v}</Typography.Text></Tooltip> : "—" },
            { title: t("ops.createdAt"), dataIndex: "created_at", width: 140, render: (v: string) => when(v) },
            ...(canReplay ? [{ title: t("common.actions"), key: "a", width: 130, fixed: "right" as const,
              render: (_: unknown, f: OutboxFailure) => (
                <Popconfirm title={t("ops.outboxReplayConfirm", { service: f.service })} onConfirm={() => void replay(f)}>
                  <Button size="small" icon={<RedoOutlined />} loading={busy === f.event_id}>{t("ops.outboxReplay")}</Button>
                </Popconfirm>) }] : []),
          ]}
        />
      </Card>
    </>
  );
}
