import { CheckCircleFilled, EyeOutlined, MinusOutlined, SendOutlined } from "@ant-design/icons";
import { App, Button, Card, Checkbox, Col, Descriptions, Drawer, Empty, Form, Input, Radio, Row, Select,
  Skeleton, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { when } from "../../lib/orders";
import { MESSAGE_BODY_MAX, MESSAGE_TITLE_MAX, recipientsBody, sendChannels, statusCounts } from "../../lib/messages";
import type { ExtraChannel, RecipientChoice } from "../../lib/messages";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";
import { ChannelTag, DeliveryStatusTag } from "../DeliveryTags";

type Batch = Schemas["BatchOut"];
type Recipient = Schemas["RecipientOut"];
type Preview = Schemas["PreviewOut"];
type BatchRecipient = Schemas["BatchRecipientOut"];
type Delivery = Schemas["DeliveryOut"];

interface Values extends RecipientChoice {
  title: string;
  body: string;
  extra: ExtraChannel[];
}

const RECIPIENT_FIELDS = ["mode", "customerIds", "grade", "area", "overdue", "cycleDue"];

/** Staff messages to customers (N-1): write a title and a text, choose the customers (by
 *  grade, area, overdue payment, ordering cycle due, or by name), preview who gets it,
 *  send it to their portal inbox and, if wished, by SMS and WeChat (N-2); then follow
 *  each batch: who read it, what each channel delivered. */
export function MessagesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canSend = has(me?.permissions, "messages:entry");
  const canQuery = has(me?.permissions, "messages:query");
  const [tick, setTick] = useState(0);
  return (
    <>
      <PageTitle title={t("staffMessages.title")} sub={t("staffMessages.sub")} />
      {canSend && <Composer onSent={() => setTick((n) => n + 1)} />}
      {canQuery && <History tick={tick} />}
    </>
  );
}

function Composer({ onSent }: { onSent: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch("mode", form) ?? "customers";
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState<"preview" | "send">();

  const loadPreview = async (): Promise<Preview | undefined> => {
    const body = recipientsBody(form.getFieldsValue(true) as Values);
    if (!body) {
      form.setFields([{ name: "customerIds", errors: [t("staffMessages.chooseCustomers")] }]);
      return undefined;
    }
    try {
      const data = await unwrap(api.POST("/api/console/messages/preview", { body }));
      setPreview(data);
      return data;
    } catch (err) {
      setPreview(undefined);
      report(err);
      return undefined;
    }
  };

  const showPreview = async () => {
    setBusy("preview");
    try { await loadPreview(); } finally { setBusy(undefined); }
  };

  const send = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    v = { ...(form.getFieldsValue(true) as Values), ...v };
    const recipients = recipientsBody(v);
    if (!recipients) return;
    setBusy("send");
    let p: Preview | undefined;
    try { p = await loadPreview(); } finally { setBusy(undefined); }
    if (!p) return;
    if (p.count === 0) {
      void message.warning(t("staffMessages.nobody"));
      return;
    }
    const channels = sendChannels(v.extra);
    modal.confirm({
      title: t("staffMessages.confirmTitle", { n: p.count }),
      content: <Space direction="vertical" size={4}>
        <Typography.Text strong>{v.title.trim()}</Typography.Text>
        <span>{t("staffMessages.confirmChannels", { channels: channels.map((c) => t(`channel.${c}`)).join("、") })}</span>
      </Space>,
      okText: t("staffMessages.send"),
      onOk: async () => {
        try {
          const r = await unwrap(api.POST("/api/console/messages", { body: {
            ...recipients, title: v.title.trim(), body: v.body.trim(), channels } }));
          void message.success(t("staffMessages.sent", { n: r.recipients }));
          form.setFieldsValue({ title: "", body: "" });
          setPreview(undefined);
          onSent();
        } catch (err) {
          report(err, form);
        }
      },
    });
  };

  return (
    <Card title={t("staffMessages.compose")} style={{ marginBottom: 16 }}>
      <Form<Values> form={form} layout="vertical" name="staff-message"
        initialValues={{ mode: "customers", extra: [], customerIds: [] }}
        onValuesChange={(changed) => {
          if (Object.keys(changed).some((k) => RECIPIENT_FIELDS.includes(k))) setPreview(undefined);
        }}>
        <Row gutter={24}>
          <Col xs={24} lg={13}>
            <Form.Item name="title" label={t("staffMessages.titleField")}
              rules={[{ required: true, whitespace: true, message: t("apiMessage.required") },
                { max: MESSAGE_TITLE_MAX, message: t("apiMessage.tooLong", { n: MESSAGE_TITLE_MAX }) }]}>
              <Input maxLength={MESSAGE_TITLE_MAX} showCount placeholder={t("staffMessages.titlePlaceholder")} />
            </Form.Item>
            <Form.Item name="body" label={t("staffMessages.body")}
              rules={[{ required: true, whitespace: true, message: t("apiMessage.required") },
                { max: MESSAGE_BODY_MAX, message: t("apiMessage.tooLong", { n: MESSAGE_BODY_MAX }) }]}>
              <Input.TextArea autoSize={{ minRows: 5, maxRows: 14 }} maxLength={MESSAGE_BODY_MAX} showCount />
            </Form.Item>
            <Form.Item label={t("staffMessages.channels")} extra={t("staffMessages.channelsHint")}>
              <Space wrap>
                <Checkbox checked disabled>{t("channel.inbox")}</Checkbox>
                <Form.Item name="extra" noStyle>
                  <Checkbox.Group options={[{ value: "sms", label: t("channel.sms") },
                    { value: "wechat", label: t("channel.wechat") }]} />
                </Form.Item>
              </Space>
            </Form.Item>
          </Col>
          <Col xs={24} lg={11}>
            <Form.Item name="mode" label={t("staffMessages.recipients")}>
              <Radio.Group optionType="button" buttonStyle="solid" options={[
                { value: "customers", label: t("staffMessages.byCustomer") },
                { value: "filter", label: t("staffMessages.byFilter") }]} />
            </Form.Item>
            {mode === "customers" ? (
              <Form.Item name="customerIds" label={t("staffMessages.customers")}
                rules={[{ required: true, type: "array", min: 1, message: t("staffMessages.chooseCustomers") }]}>
                <CustomerSelect multiple status="approved" data-testid="message-customers" />
              </Form.Item>
            ) : (
              <>
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item name="grade" label={t("field.grade")}>
                      <Select allowClear placeholder={t("staffMessages.anyGrade")}
                        options={(["normal", "small", "large"] as const).map((g) => ({ value: g, label: t(`grade.${g}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="area" label={t("field.area")} rules={[{ max: 100 }]}>
                      <Input allowClear maxLength={100} placeholder={t("staffMessages.anyArea")} />
                    </Form.Item>
                  </Col>
                </Row>
                <Space wrap size={16} style={{ marginBottom: 12 }}>
                  <Form.Item name="overdue" valuePropName="checked" noStyle>
                    <Checkbox>{t("staffMessages.overdue")}</Checkbox>
                  </Form.Item>
                  <Form.Item name="cycleDue" valuePropName="checked" noStyle>
                    <Checkbox>{t("staffMessages.cycleDue")}</Checkbox>
                  </Form.Item>
                </Space>
                <Typography.Paragraph type="secondary">{t("staffMessages.filterHint")}</Typography.Paragraph>
              </>
            )}
            <Space wrap>
              <Button icon={<EyeOutlined />} loading={busy === "preview"} onClick={() => void showPreview()}
                data-testid="preview-recipients">{t("staffMessages.preview")}</Button>
              <Button type="primary" icon={<SendOutlined />} loading={busy === "send"} onClick={() => void send()}
                data-testid="send-message">{t("staffMessages.send")}</Button>
            </Space>
          </Col>
        </Row>
      </Form>
      {preview && <PreviewTable preview={preview} />}
    </Card>
  );
}

function Reach({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return ok
    ? <Tooltip title={t("staffMessages.reachable")}><CheckCircleFilled style={{ color: "#52c41a" }} aria-label={t("common.yes")} /></Tooltip>
    : <Tooltip title={t("staffMessages.unreachable")}><MinusOutlined style={{ color: "#bfbfbf" }} aria-label={t("common.no")} /></Tooltip>;
}

function PreviewTable({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  return (
    <div data-testid="preview" style={{ marginTop: 16 }}>
      <Typography.Paragraph strong>
        {t("staffMessages.previewCount", { n: preview.count })}
        {preview.count > preview.recipients.length && (
          <Typography.Text type="secondary"> {t("staffMessages.previewFirst", { n: preview.recipients.length })}</Typography.Text>)}
      </Typography.Paragraph>
      <Table<Recipient> size="small" rowKey="customer_id" dataSource={preview.recipients} scroll={{ x: 700 }}
        pagination={preview.recipients.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("staffMessages.nobody")} /> }}
        columns={[
          { title: t("field.customer_number"), dataIndex: "customer_number", width: 110, render: (v: string | null) => v ?? "—" },
          ellipsisColumn<Recipient>({ title: t("field.name"), dataIndex: "name" }),
          { title: t("field.area"), dataIndex: "area", width: 110, render: (v: string | null) => v ?? "—" },
          { title: t("field.grade"), dataIndex: "grade", width: 100, render: (g: string | null) => g ? t(`grade.${g}`, g) : "—" },
          { title: t("channel.sms"), dataIndex: "has_mobile", width: 70, align: "center", render: (v: boolean) => <Reach ok={v} /> },
          { title: t("channel.wechat"), dataIndex: "has_wechat", width: 70, align: "center", render: (v: boolean) => <Reach ok={v} /> },
          { title: t("staffMessages.situation"), key: "s", width: 200, render: (_: unknown, r) => <Space size={4} wrap>
            {r.overdue_orders > 0 && <Tag color="red">{t("staffMessages.overdueOrders", { n: r.overdue_orders })}</Tag>}
            {r.cycle_due_on && <Tag color="orange">{t("staffMessages.cycleDueOn", { date: r.cycle_due_on })}</Tag>}
          </Space> },
        ]} />
    </div>
  );
}

/** A batch's deliveries by status as coloured tags ("已送达 3"). */
function StatusCounts({ counts }: { counts: Record<string, number> }) {
  const list = statusCounts(counts);
  if (!list.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Space size={[4, 4]} wrap>{list.map(([s, n]) => <DeliveryStatusTag key={s} status={s} count={n} />)}</Space>;
}

function History({ tick }: { tick: number }) {
  const { t, i18n } = useTranslation();
  const english = !i18n.language.startsWith("zh");
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/messages", { params: { query: {
    limit: pageSize, offset: (page - 1) * pageSize } } })), [page, tick]);
  return (
    <>
      <ErrorAlert error={list.error} />
      <Card title={t("staffMessages.history")} styles={{ body: { padding: 0 } }}
        extra={<Button size="small" onClick={list.reload}>{t("common.refresh")}</Button>}>
        <Table<Batch>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }}
          onRow={(b) => ({ onClick: () => setOpen(b.id), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("staffMessages.sentAt"), dataIndex: "created_at", width: 150, render: (v: string) => when(v) },
            { title: t("staffMessages.titleField"), dataIndex: "title", ellipsis: true,
              render: (v: string, b) => <Tooltip title={b.body}><Typography.Link>{v}</Typography.Link></Tooltip> },
            ellipsisColumn<Batch>({ title: t("staffMessages.recipients"), key: "sel", width: 200,
              render: (_: unknown, b) => <Space size={4}><span>{english ? b.selection_text_en : b.selection_text}</span>
                <Typography.Text type="secondary">{t("staffMessages.people", { n: b.recipients })}</Typography.Text></Space> }),
            { title: t("staffMessages.channels"), dataIndex: "channels", width: 140,
              render: (v: string[]) => <Space size={[4, 4]} wrap>{v.map((c) => <ChannelTag key={c} channel={c} />)}</Space> },
            { title: t("staffMessages.read"), key: "read", width: 80, render: (_: unknown, b) => `${b.read}/${b.recipients}` },
            { title: t("staffMessages.deliveries"), dataIndex: "deliveries", width: 200,
              render: (v: Record<string, number>) => <StatusCounts counts={v} /> },
            ellipsisColumn<Batch>({ title: t("staffMessages.createdBy"), dataIndex: "created_by", width: 110 }),
          ]}
        />
      </Card>
      <BatchDrawer id={open} onClose={() => setOpen(undefined)} />
    </>
  );
}

function BatchDrawer({ id, onClose }: { id?: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const english = !i18n.language.startsWith("zh");
  const detail = useLoad(() => id
    ? unwrap(api.GET("/api/console/messages/{batch_id}", { params: { path: { batch_id: id } } }))
    : Promise.resolve(undefined), [id]);
  const b = detail.data && detail.data.id === id ? detail.data : undefined;
  return (
    <Drawer open={!!id} width={Math.min(920, window.innerWidth)} destroyOnHidden onClose={onClose}
      title={b?.title ?? t("staffMessages.batch")}
      extra={b && <Space>
        <Link to={`/deliveries?batch_id=${b.id}`}>{t("staffMessages.inDeliveryLog")}</Link>
        <Button size="small" onClick={detail.reload}>{t("common.refresh")}</Button></Space>}>
      <ErrorAlert error={detail.error} />
      {!b ? <Skeleton active /> : (
        <Space direction="vertical" size={16} style={{ width: "100%" }}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t("staffMessages.sentAt")}>{when(b.created_at)}</Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.createdBy")}>{b.created_by}</Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.recipients")}>
              {english ? b.selection_text_en : b.selection_text} · {t("staffMessages.people", { n: b.recipients })}</Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.read")}>{b.read}/{b.recipients}</Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.channels")}>
              <Space size={4} wrap>{b.channels.map((c) => <ChannelTag key={c} channel={c} />)}</Space></Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.deliveries")}><StatusCounts counts={b.deliveries} /></Descriptions.Item>
            <Descriptions.Item label={t("staffMessages.body")} span={2}>
              <div style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{b.body}</div></Descriptions.Item>
          </Descriptions>
          <Table<BatchRecipient> size="small" rowKey="customer_id" dataSource={b.recipient_list} scroll={{ x: 760 }}
            pagination={b.recipient_list.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            columns={[
              { title: t("field.customer_number"), dataIndex: "customer_number", width: 100, render: (v: string | null) => v ?? "—" },
              ellipsisColumn<BatchRecipient>({ title: t("field.name"), dataIndex: "name",
                render: (v: string, r) => <Link to={`/customers/${r.customer_id}`}>{v || r.customer_id}</Link> }),
              { title: t("field.area"), dataIndex: "area", width: 90, render: (v: string | null) => v ?? "—" },
              { title: t("staffMessages.readState"), dataIndex: "read_at", width: 150,
                render: (v: string | null) => v ? <Tag color="success">{t("staffMessages.readAt", { at: when(v) })}</Tag>
                  : <Tag>{t("staffMessages.unread")}</Tag> },
              { title: t("staffMessages.channelDeliveries"), dataIndex: "deliveries", width: 300,
                render: (v: BatchRecipient["deliveries"]) => <RecipientDeliveries list={v as unknown as Delivery[]} /> },
            ]} />
        </Space>
      )}
    </Drawer>
  );
}

function RecipientDeliveries({ list }: { list: Delivery[] }) {
  const { t } = useTranslation();
  if (!list.length) return <Typography.Text type="secondary">{t("staffMessages.inboxOnly")}</Typography.Text>;
  return (
    <Space direction="vertical" size={2}>
      {list.map((d) => (
        <Space key={d.id} size={4} wrap data-testid="recipient-delivery">
          <ChannelTag channel={d.channel} />
          <DeliveryStatusTag status={d.status} />
          {d.last_error && <Typography.Text type="danger" style={{ fontSize: 12 }}>{d.last_error}</Typography.Text>}
        </Space>
      ))}
    </Space>
  );
}
