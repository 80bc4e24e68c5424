import { CheckCircleFilled, DeleteOutlined, DownloadOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Radio, Row,
  Skeleton, Space, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { INVOICE_STATUSES, blankToNull, checkSplit, limitOf, suggestedRows } from "../../lib/invoices";
import type { FapiaoRow, InvoiceStatus } from "../../lib/invoices";
import { formatCents, toCents, yuan } from "../../lib/money";
import { when } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useUrlFilters } from "../../shared/hooks";
import { CourierText, FapiaoNumbers, InvoiceDetails, InvoiceHistory, InvoiceOrders, InvoiceStatusTag } from "../../shared/Invoice";
import type { Invoice } from "../../shared/Invoice";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";

type Tab = InvoiceStatus | "all";

/** Finance's fapiao work (I-2, C-7): the queue of requests to issue (the default tab),
 *  the issued, received and returned ones; search, a customer filter, the Excel export;
 *  a row opens the request with its orders and tax details, where staff enter the issued
 *  fapiao (one number, or several within the per-fapiao limit) with the courier, or
 *  return the request with a reason. Staff see their areas' customers only. */
export function InvoicesPage() {
  const { t, i18n } = useTranslation();
  const { params, update } = useUrlFilters();
  const tab = (params.get("status") ?? "requested") as Tab;
  const status = tab === "all" ? undefined : tab;
  const q = params.get("q") ?? undefined;
  const customerId = params.get("customer_id") ?? undefined;
  const page = Number(params.get("page") ?? 1) || 1;
  const [open, setOpen] = useState<string>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/invoices", { params: { query: {
    status, q, customer_id: customerId, limit: pageSize, offset: (page - 1) * pageSize } } })),
  [status, q, customerId, page]);

  const set = (key: string, value: string | undefined) => update({ [key]: value });

  const exportUrl = () => {
    const query = new URLSearchParams();
    if (status) query.set("status", status);
    if (q) query.set("q", q);
    if (customerId) query.set("customer_id", customerId);
    query.set("lang", i18n.language.startsWith("zh") ? "zh" : "en");
    return `/api/console/invoices/export.xlsx?${query.toString()}`;
  };

  return (
    <>
      <PageTitle title={t("fapiao.console.title")} sub={t("fapiao.console.sub")}
        extra={<>
          <Button icon={<DownloadOutlined />} href={exportUrl()} data-testid="export-invoices">{t("fapiao.console.export")}</Button>
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
        </>} />
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingTop: 4 } }}>
        <Tabs activeKey={tab} onChange={(k) => set("status", k === "requested" ? undefined : k)}
          items={[...INVOICE_STATUSES.map((s) => ({ key: s, label: s === "requested" ? t("fapiao.console.queue") : t(`fapiao.status.${s}`) })),
            { key: "all", label: t("common.all") }]} />
        <Space wrap>
          <Input.Search allowClear defaultValue={q} style={{ width: 300 }} placeholder={t("fapiao.console.searchPlaceholder")}
            data-testid="invoice-search" onSearch={(v) => set("q", v.trim() || undefined)} />
          <CustomerSelect style={{ width: 280 }} value={customerId} data-testid="filter-customer"
            onChange={(v) => set("customer_id", typeof v === "string" ? v : undefined)} />
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Invoice>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1400 }}
          onRow={(i) => ({ onClick: () => setOpen(i.id), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: list.data?.total, showSizeChanger: false,
            onChange: (p) => set("page", p > 1 ? String(p) : undefined), showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("fapiao.requestedAt"), dataIndex: "requested_at", width: 140, render: (v: string) => when(v) },
            ellipsisColumn<Invoice>({ title: t("field.customer"), dataIndex: "customer_name", width: 200,
              render: (v: string | null, i) => <Typography.Link>{v ?? i.customer_id}</Typography.Link> }),
            { title: t("fapiao.orders"), dataIndex: "order_numbers", width: 170,
              render: (v: string[]) => <Space direction="vertical" size={0}>{v.map((n) => <span key={n}>{n}</span>)}</Space> },
            { title: t("fapiao.field.invoice_type"), dataIndex: "invoice_type", width: 90,
              render: (v: string) => <Tag color={v === "special_vat" ? "purple" : "default"}>{t(`fapiao.typeShort.${v}`)}</Tag> },
            ellipsisColumn<Invoice>({ title: t("fapiao.field.title"), dataIndex: "title", width: 200, render: (v: string | null) => v ?? "—" }),
            { title: t("fapiao.field.amount"), dataIndex: "amount", width: 130, align: "right", render: (v: string) => <Money value={v} strong /> },
            { title: t("field.status"), dataIndex: "status", width: 200,
              render: (s: string, i) => <Space direction="vertical" size={2}>
                <InvoiceStatusTag status={s} />
                {s === "rejected" && i.rejection_reason && <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {i.rejection_reason}</Typography.Text>}
              </Space> },
            { title: t("fapiao.field.invoice_number"), key: "fapiao", width: 170, render: (_: unknown, i) => <FapiaoNumbers invoice={i} /> },
            { title: t("fapiao.field.invoice_date"), dataIndex: "invoice_date", width: 110, render: (v: string | null) => v ?? "—" },
            { title: t("fapiao.courierTracking"), key: "courier", width: 190, render: (_: unknown, i) => <CourierText invoice={i} /> },
          ]}
        />
      </Card>
      <InvoiceDrawer id={open} onClose={() => setOpen(undefined)} onChanged={list.reload} />
    </>
  );
}

function InvoiceDrawer({ id, onClose, onChanged }: { id?: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canIssue = has(me?.permissions, "invoices:entry");
  const canReject = has(me?.permissions, "invoices:review");
  const detail = useLoad(() => id
    ? unwrap(api.GET("/api/console/invoices/{invoice_id}", { params: { path: { invoice_id: id } } }))
    : Promise.resolve(undefined), [id]);
  const inv = detail.data && detail.data.id === id ? detail.data : undefined;
  const changed = () => { detail.reload(); onChanged(); };
  return (
    <Drawer open={!!id} width={Math.min(1000, window.innerWidth)} destroyOnHidden onClose={onClose}
      title={inv ? <Space wrap>{t("fapiao.console.detail")}<InvoiceStatusTag status={inv.status} /></Space> : t("fapiao.console.detail")}
      extra={<Button size="small" onClick={detail.reload}>{t("common.refresh")}</Button>}>
      <ErrorAlert error={detail.error} />
      {!inv ? <Skeleton active /> : (
        <Space direction="vertical" size={16} style={{ width: "100%" }} data-testid="invoice-drawer">
          {inv.status === "rejected" && inv.rejection_reason && (
            <Alert type="error" showIcon message={t("fapiao.console.returned", { who: inv.rejected_by ?? "", at: when(inv.rejected_at) })}
              description={inv.rejection_reason} />)}
          <InvoiceDetails invoice={inv} extra={<>
            <Descriptions.Item label={t("field.customer")} span={2}>
              <Link to={`/customers/${inv.customer_id}`}>{inv.customer_name ?? inv.customer_id}</Link></Descriptions.Item>
            <Descriptions.Item label={t("fapiao.console.requestedBy")}>{inv.requested_by}</Descriptions.Item>
            <Descriptions.Item label={t("fapiao.requestedAt")}>{when(inv.requested_at)}</Descriptions.Item>
          </>} />
          <InvoiceOrders invoice={inv} />
          {canIssue && inv.actions.includes("issue") && <IssueForm invoice={inv} onDone={changed} />}
          {canReject && inv.actions.includes("reject") && <RejectForm invoice={inv} onDone={changed} />}
          <Card size="small" title={t("fapiao.console.history")}><InvoiceHistory invoice={inv} /></Card>
        </Space>
      )}
    </Drawer>
  );
}

interface IssueValues {
  mode: "one" | "several";
  invoice_number?: string;
  fapiao?: FapiaoRow[];
  invoice_date: Dayjs;
  sent_at?: Dayjs | null;
  courier?: string;
  tracking_number?: string;
}

/** I-2: enter the issued fapiao, its date, when and how it was sent. Above the
 *  per-fapiao limit the suggested split is prefilled; the rows' sum is checked live. */
function IssueForm({ invoice, onDone }: { invoice: Invoice; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<IssueValues>();
  const [busy, setBusy] = useState(false);
  const suggested = invoice.suggested_fapiao;
  const limit = limitOf(suggested);
  const mustSplit = limit !== undefined;
  const mode = Form.useWatch("mode", form) ?? (mustSplit ? "several" : "one");
  const rows = Form.useWatch("fapiao", form) ?? [];
  const invoiceDate = Form.useWatch("invoice_date", form);
  const check = checkSplit(invoice.amount, rows, limit);
  const rest = toCents(check.rest);

  const submit = async (v: IssueValues) => {
    if (v.mode === "several" && !check.ok) {
      void message.error(t("fapiao.console.splitInvalid"));
      return;
    }
    const common = {
      invoice_date: v.invoice_date.format("YYYY-MM-DD"),
      sent_at: v.sent_at ? v.sent_at.toISOString() : null,
      courier: blankToNull(v.courier), tracking_number: blankToNull(v.tracking_number),
    };
    const body = v.mode === "several"
      ? { ...common, fapiao: (v.fapiao ?? []).map((r) => ({
        invoice_number: (r.invoice_number ?? "").trim(), amount: formatCents(toCents(r.amount ?? "0")) })) }
      : { ...common, invoice_number: (v.invoice_number ?? "").trim() };
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/invoices/{invoice_id}/issue", { params: { path: { invoice_id: invoice.id } }, body }));
      void message.success(t("fapiao.console.issued"));
      onDone();
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const rowHelp = (i: number): string | undefined => {
    if (check.overLimit.includes(i) && limit) return t("fapiao.console.rowOverLimit", { limit: yuan(limit) });
    if (check.duplicates.includes(i)) return t("fapiao.console.duplicate");
    return undefined;
  };

  return (
    <Card size="small" title={t("fapiao.console.issueTitle")} data-testid="issue-form">
      {mustSplit && <Alert type="info" showIcon style={{ marginBottom: 12 }}
        message={t("fapiao.console.overLimit", { amount: yuan(invoice.amount), limit: yuan(limit), n: suggested.length })} />}
      <Form<IssueValues> form={form} layout="vertical" name="issue" onFinish={submit}
        initialValues={{ mode: mustSplit ? "several" : "one", invoice_date: dayjs(),
          fapiao: mustSplit ? suggestedRows(suggested) : [{ invoice_number: "", amount: invoice.amount }] }}>
        <Form.Item name="mode" label={t("fapiao.console.howMany")}>
          <Radio.Group optionType="button" buttonStyle="solid" options={[
            { value: "one", label: t("fapiao.console.one"), disabled: mustSplit },
            { value: "several", label: t("fapiao.console.several") }]} />
        </Form.Item>
        {mode === "one" ? (
          <Form.Item name="invoice_number" label={t("fapiao.field.invoice_number")}
            rules={[{ required: true, whitespace: true, message: t("apiMessage.required") },
              { max: 50, message: t("apiMessage.tooLong", { n: 50 }) }]}>
            <Input maxLength={50} style={{ maxWidth: 320 }} />
          </Form.Item>
        ) : (
          <Form.List name="fapiao">
            {(fields, { add, remove }) => (
              <div data-testid="fapiao-rows" style={{ marginBottom: 16 }}>
                {fields.map((field, i) => (
                  <Space key={field.key} align="start" wrap data-testid="fapiao-row">
                    <Form.Item name={[field.name, "invoice_number"]} label={i === 0 ? t("fapiao.field.invoice_number") : undefined}
                      validateStatus={check.duplicates.includes(i) ? "error" : undefined}
                      help={check.duplicates.includes(i) ? rowHelp(i) : undefined}
                      rules={[{ required: true, whitespace: true, message: t("apiMessage.required") },
                        { max: 50, message: t("apiMessage.tooLong", { n: 50 }) }]}>
                      <Input maxLength={50} style={{ width: 240 }} aria-label={t("fapiao.console.numberOf", { n: i + 1 })} />
                    </Form.Item>
                    <Form.Item name={[field.name, "amount"]} label={i === 0 ? t("fapiao.field.amount") : undefined}
                      validateStatus={check.overLimit.includes(i) ? "error" : undefined}
                      help={check.overLimit.includes(i) ? rowHelp(i) : undefined}
                      rules={[{ required: true, message: t("apiMessage.required") }]}>
                      <InputNumber<string> stringMode min="0.01" precision={2} prefix="¥" style={{ width: 180 }}
                        aria-label={t("fapiao.console.amountOf", { n: i + 1 })} />
                    </Form.Item>
                    {fields.length > 1 && <Button type="text" danger icon={<DeleteOutlined />} style={{ marginTop: i === 0 ? 30 : 0 }}
                      aria-label={t("common.delete")} onClick={() => remove(field.name)} />}
                  </Space>
                ))}
                <div>
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ invoice_number: "", amount: rest > 0n ? check.rest : undefined })}>
                    {t("fapiao.console.addFapiao")}</Button>
                </div>
                <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }} data-testid="fapiao-sum">
                  {t("fapiao.console.sum", { sum: yuan(check.sum), amount: yuan(invoice.amount) })}{" "}
                  {rest === 0n
                    ? <Tag color="success" icon={<CheckCircleFilled />}>{t("fapiao.console.sumOk")}</Tag>
                    : rest > 0n
                      ? <Tag color="warning">{t("fapiao.console.sumShort", { rest: yuan(check.rest) })}</Tag>
                      : <Tag color="error">{t("fapiao.console.sumOver", { over: yuan(formatCents(-rest)) })}</Tag>}
                </Typography.Paragraph>
              </div>
            )}
          </Form.List>
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="invoice_date" label={t("fapiao.field.invoice_date")}
              rules={[{ required: true, message: t("apiMessage.required") }]}>
              <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="sent_at" label={t("fapiao.field.sent_at")}>
              <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }}
                disabledDate={(d) => d.isAfter(dayjs(), "day") || (!!invoiceDate && d.isBefore(invoiceDate, "day"))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="courier" label={t("fapiao.field.courier")} rules={[{ max: 50, message: t("apiMessage.tooLong", { n: 50 }) }]}>
              <Input maxLength={50} placeholder={t("fapiao.console.courierPlaceholder")} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="tracking_number" label={t("fapiao.field.tracking_number")}
              rules={[{ max: 50, message: t("apiMessage.tooLong", { n: 50 }) }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="issue-submit">{t("fapiao.console.issue")}</Button>
      </Form>
    </Card>
  );
}

/** Return the request with a reason the customer reads; it may correct and resubmit it. */
function RejectForm({ invoice, onDone }: { invoice: Invoice; onDone: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = ({ reason }: { reason: string }) => modal.confirm({
    title: t("fapiao.console.rejectConfirm"),
    content: reason.trim(),
    okText: t("fapiao.console.reject"),
    okButtonProps: { danger: true },
    onOk: async () => {
      try {
        await unwrap(api.POST("/api/console/invoices/{invoice_id}/reject", {
          params: { path: { invoice_id: invoice.id } }, body: { reason: reason.trim() } }));
        void message.success(t("fapiao.console.rejected"));
        onDone();
      } catch (err) {
        report(err, form);
      }
    },
  });
  return (
    <Card size="small" title={t("fapiao.console.rejectTitle")} data-testid="reject-form">
      <Typography.Paragraph type="secondary">{t("fapiao.console.rejectHint")}</Typography.Paragraph>
      <Form<{ reason: string }> form={form} layout="vertical" name="reject" onFinish={submit}>
        <Form.Item name="reason" label={t("fapiao.field.reason")}
          rules={[{ required: true, whitespace: true, message: t("apiMessage.reasonRequired") },
            { max: 500, message: t("apiMessage.tooLong", { n: 500 }) }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount
            placeholder={t("fapiao.console.rejectPlaceholder")} />
        </Form.Item>
        <Button danger htmlType="submit" icon={<StopOutlined />} data-testid="reject-submit">{t("fapiao.console.reject")}</Button>
      </Form>
    </Card>
  );
}
