import { CheckOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Drawer, Empty, Form, Input, Radio, Row, Segmented, Skeleton, Space,
  Table, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { DETAIL_FIELDS, INVOICE_STATUSES, INVOICE_TYPES, blankToNull, defaultType, missingFields, orderDate,
  requiredFor } from "../../lib/invoices";
import type { DetailField, InvoiceStatus, InvoiceType } from "../../lib/invoices";
import { formatCents, toCents, yuan } from "../../lib/money";
import { when } from "../../lib/orders";
import { bankAccount, taxNumber } from "../../lib/validators";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { CourierText, FapiaoNumbers, InvoiceDetails, InvoiceHistory, InvoiceOrders, InvoiceStatusTag } from "../../shared/Invoice";
import type { Invoice } from "../../shared/Invoice";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";

type Orderable = Schemas["InvoiceableOrderOut"];
type Defaults = Schemas["InvoiceDefaultsOut"];

/** An order chosen for the request (kept across the orders table's pages). */
interface Chosen { number: string; amount: string; bill_type: string | null }

interface Values extends Partial<Record<DetailField, string | null>> {
  invoice_type: InvoiceType;
  mail_to?: string | null;
  remark?: string | null;
}

const MAX: Record<DetailField | "mail_to" | "remark", number> = {
  title: 200, tax_number: 40, bank: 200, bank_account: 64, address_phone: 300, mail_to: 300, remark: 500,
};

/** The customer's fapiao (I-1, I-3): ask for one for some approved orders, the details
 *  prefilled from the company profile; follow the requests (to be issued, issued with
 *  numbers and courier, received, returned with a reason); correct and resubmit a
 *  returned one; confirm receipt of an issued one. */
export function InvoicesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { report } = useApiError();
  const [status, setStatus] = useState<InvoiceStatus | "all">("all");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<{ invoice?: Invoice }>();
  const pageSize = 10;
  const list = useLoad(() => unwrapList(api.GET("/api/portal/invoices", { params: { query: {
    status: status === "all" ? undefined : status, limit: pageSize, offset: (page - 1) * pageSize } } })),
  [status, page]);

  const confirmReceipt = (i: Invoice) => modal.confirm({
    title: t("fapiao.portal.confirmTitle"),
    content: t("fapiao.portal.confirmText", { numbers: i.fapiao.map((f) => f.invoice_number).join("、") }),
    okText: t("fapiao.portal.confirm"),
    onOk: async () => {
      try {
        await unwrap(api.POST("/api/portal/invoices/{invoice_id}/confirm-receipt", {
          params: { path: { invoice_id: i.id } } }));
        void message.success(t("fapiao.portal.confirmed"));
        list.reload();
      } catch (err) {
        report(err);
        list.reload();
      }
    },
  });

  return (
    <>
      <PageTitle title={t("fapiao.portal.title")} sub={t("fapiao.portal.sub")}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}
          data-testid="request-fapiao">{t("fapiao.portal.request")}</Button>} />
      <ErrorAlert error={list.error} />
      <Card>
        <Segmented<InvoiceStatus | "all"> value={status} style={{ marginBottom: 12 }}
          onChange={(v) => { setStatus(v); setPage(1); }}
          options={[{ value: "all", label: t("common.all") },
            ...INVOICE_STATUSES.map((s) => ({ value: s, label: t(`fapiao.status.${s}`) }))]} />
        <Table<Invoice>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1150 }}
          data-testid="invoice-list"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("fapiao.portal.empty")} /> }}
          expandable={{ expandedRowRender: (i) => (
            <Row gutter={24}>
              <Col xs={24} lg={15}>
                <InvoiceDetails invoice={i} />
                <div style={{ marginTop: 12 }}>
                  <InvoiceOrders invoice={i} link={(o) => <Link to={`/orders/${o.order_id}`}>{o.number}</Link>} />
                </div>
              </Col>
              <Col xs={24} lg={9}><InvoiceHistory invoice={i} /></Col>
            </Row>) }}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("fapiao.requestedAt"), dataIndex: "requested_at", width: 110, render: (v: string) => when(v) },
            { title: t("fapiao.orders"), dataIndex: "orders", width: 160,
              render: (_: unknown, i) => <Space direction="vertical" size={0}>
                {i.orders.map((o) => <Link key={o.order_id} to={`/orders/${o.order_id}`}>{o.number}</Link>)}</Space> },
            { title: t("fapiao.field.invoice_type"), dataIndex: "invoice_type", width: 120,
              render: (v: string) => t(`fapiao.type.${v}`) },
            { title: t("fapiao.field.amount"), dataIndex: "amount", width: 120, align: "right",
              render: (v: string) => <Money value={v} strong /> },
            { title: t("field.status"), dataIndex: "status", width: 160,
              render: (s: string, i) => <Space direction="vertical" size={2}>
                <InvoiceStatusTag status={s} />
                {s === "rejected" && i.rejection_reason && <Typography.Text type="danger" data-testid="rejection-reason">
                  {t("fapiao.rejectedReason", { reason: i.rejection_reason })}</Typography.Text>}
              </Space> },
            { title: t("fapiao.field.invoice_number"), key: "fapiao", width: 150, render: (_: unknown, i) => <FapiaoNumbers invoice={i} /> },
            { title: t("fapiao.courierTracking"), key: "courier", width: 150, render: (_: unknown, i) => <CourierText invoice={i} /> },
            { title: t("common.actions"), key: "a", width: 170, fixed: "right",
              render: (_: unknown, i) => <Space direction="vertical" size={4}>
                {i.actions.includes("confirm_receipt") && <Button size="small" type="primary" icon={<CheckOutlined />}
                  data-testid="confirm-receipt" onClick={() => confirmReceipt(i)}>{t("fapiao.portal.confirm")}</Button>}
                {i.actions.includes("resubmit") && <Button size="small" icon={<EditOutlined />} data-testid="resubmit"
                  onClick={() => setEditing({ invoice: i })}>{t("fapiao.portal.resubmit")}</Button>}
              </Space> },
          ]}
        />
      </Card>
      <Drawer open={!!editing} width={Math.min(900, window.innerWidth)} destroyOnHidden
        onClose={() => setEditing(undefined)}
        title={editing?.invoice ? t("fapiao.portal.resubmitTitle") : t("fapiao.portal.request")}>
        {editing && <RequestForm invoice={editing.invoice} onDone={() => {
          setEditing(undefined);
          if (status !== "all" && status !== "requested") setStatus("all");
          setPage(1);
          list.reload();
        }} />}
      </Drawer>
    </>
  );
}

/** The request (I-1): choose orders, the type and the details (from the profile, or from
 *  the returned request when it is resubmitted), where to send the paper fapiao. */
function RequestForm({ invoice, onDone }: { invoice?: Invoice; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const defaults = useLoad(() => unwrap(api.GET("/api/portal/invoice-requests/defaults")), []);
  const [page, setPage] = useState(1);
  const pageSize = 10;
  const orders = useLoad(() => unwrapList(api.GET("/api/portal/invoice-requests/orders", { params: { query: {
    limit: pageSize, offset: (page - 1) * pageSize } } })), [page]);
  const [chosen, setChosen] = useState<Record<string, Chosen>>(() => Object.fromEntries(
    (invoice?.orders ?? []).map((o) => [o.order_id, { number: o.number, amount: o.amount, bill_type: null }])));
  const [typeTouched, setTypeTouched] = useState(!!invoice);
  const [noOrders, setNoOrders] = useState(false);
  const [busy, setBusy] = useState(false);
  const values = Form.useWatch((v: Values) => v, form);
  const type: InvoiceType = values?.invoice_type ?? invoice?.invoice_type ?? "ordinary_vat";

  // A new request starts from the company profile (a resubmission from the request).
  useEffect(() => {
    if (invoice || !defaults.data) return;
    const d: Defaults = defaults.data;
    form.setFieldsValue({ title: d.title, tax_number: d.tax_number, bank: d.bank, bank_account: d.bank_account,
      address_phone: d.address_phone, mail_to: d.mail_to });
  }, [defaults.data, invoice, form]);

  // Until the customer picks a type: special when every chosen order asked for one.
  const chosenKey = Object.keys(chosen).sort().join(",");
  useEffect(() => {
    if (typeTouched) return;
    form.setFieldValue("invoice_type", defaultType(Object.values(chosen).map((c) => c.bill_type)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosenKey, typeTouched]);

  const total = useMemo(() => formatCents(Object.values(chosen).reduce((s, c) => s + toCents(c.amount), 0n)),
    [chosen]);
  const missing = missingFields(type, values ?? {});
  const fromProfile = new Set(defaults.data?.missing[type] ?? []);

  const submit = async (v: Values) => {
    const ids = Object.keys(chosen);
    if (!ids.length) { setNoOrders(true); return; }
    const body = {
      order_ids: ids, invoice_type: v.invoice_type,
      title: blankToNull(v.title), tax_number: blankToNull(v.tax_number), bank: blankToNull(v.bank),
      bank_account: blankToNull(v.bank_account), address_phone: blankToNull(v.address_phone),
      mail_to: blankToNull(v.mail_to), remark: blankToNull(v.remark),
    };
    setBusy(true);
    try {
      if (invoice) {
        await unwrap(api.PUT("/api/portal/invoice-requests/{invoice_id}", { params: { path: { invoice_id: invoice.id } }, body }));
        void message.success(t("fapiao.portal.resubmitted"));
      } else {
        await unwrap(api.POST("/api/portal/invoice-requests", { body }));
        void message.success(t("fapiao.portal.submitted"));
      }
      onDone();
    } catch (err) {
      report(err, form);
      orders.reload();
    } finally {
      setBusy(false);
    }
  };

  if (!defaults.data && !defaults.error) return <Skeleton active />;

  const detail = (f: DetailField, input: ReactNode) => {
    const needed = requiredFor(type, f);
    const empty = !(values?.[f] ?? "").trim();
    return (
      <Form.Item name={f} label={t(`fapiao.field.${f}`)} required={needed}
        rules={[{ required: needed, whitespace: true, message: t("fapiao.portal.neededFor", { type: t(`fapiao.type.${type}`) }) },
          { max: MAX[f], message: t("apiMessage.tooLong", { n: MAX[f] }) },
          ...(f === "tax_number" ? [rule(taxNumber)] : f === "bank_account" ? [rule(bankAccount)] : [])]}
        extra={needed && empty ? <Typography.Text type="warning" data-testid={`missing-${f}`}>
          {fromProfile.has(f) ? t("fapiao.portal.missingInProfile") : t("fapiao.portal.neededFor", { type: t(`fapiao.type.${type}`) })}
        </Typography.Text> : undefined}>
        {input}
      </Form.Item>
    );
  };
  const text = (f: DetailField) => detail(f, <Input maxLength={MAX[f]} allowClear
    status={requiredFor(type, f) && !(values?.[f] ?? "").trim() ? "warning" : undefined} />);

  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      {invoice?.rejection_reason && (
        <Alert type="warning" showIcon message={t("fapiao.portal.returnedTitle")}
          description={<span data-testid="resubmit-reason">{invoice.rejection_reason}</span>} />)}
      <ErrorAlert error={defaults.error} />
      <div>
        <Typography.Title level={5}>{t("fapiao.portal.chooseOrders")}</Typography.Title>
        <Typography.Paragraph type="secondary">{t("fapiao.portal.ordersHint")}</Typography.Paragraph>
        <ErrorAlert error={orders.error} />
        <Table<Orderable>
          size="small" rowKey="order_id" loading={orders.loading} dataSource={orders.data?.items} scroll={{ x: 640 }}
          data-testid="invoiceable-orders"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("fapiao.portal.noOrders")} /> }}
          rowSelection={{
            selectedRowKeys: Object.keys(chosen), preserveSelectedRowKeys: true,
            onChange: (keys, rows) => {
              setNoOrders(false);
              setChosen((old) => Object.fromEntries(keys.map((k) => {
                const row = rows.find((r) => r && r.order_id === k);
                return [String(k), row ? { number: row.number, amount: row.amount, bill_type: row.bill_type } : old[String(k)]];
              }).filter(([, c]) => c !== undefined)));
            },
            getCheckboxProps: (o) => ({ "aria-label": o.number }) as never,
          }}
          pagination={orders.data && orders.data.total > pageSize ? { current: page, pageSize, total: orders.data.total,
            onChange: setPage, showSizeChanger: false } : false}
          columns={[
            { title: t("field.order_number"), dataIndex: "number" },
            { title: t("field.order_date"), key: "date", render: (_: unknown, o) => orderDate(o.number) ?? "—" },
            { title: t("fapiao.orderedAs"), dataIndex: "bill_type", render: (v: string | null) => v ? t(`billType.${v}`, v) : "—" },
            { title: t("fapiao.orderTotal"), dataIndex: "total", align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("fapiao.refund"), dataIndex: "refund_amount", align: "right",
              render: (v: string) => toCents(v) > 0n ? <Money value={v} /> : <Typography.Text type="secondary">—</Typography.Text> },
            { title: t("fapiao.invoiceAmount"), dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} strong /> },
          ]} />
        <Typography.Paragraph style={{ marginTop: 8 }} data-testid="chosen-total"
          type={noOrders ? "danger" : undefined} strong={Object.keys(chosen).length > 0}>
          {noOrders ? t("fapiao.portal.chooseAtLeastOne")
            : t("fapiao.portal.chosen", { n: Object.keys(chosen).length, amount: yuan(total) })}
        </Typography.Paragraph>
      </div>
      <Form<Values> form={form} layout="vertical" name="fapiao-request" onFinish={submit} scrollToFirstError
        initialValues={invoice ? {
          invoice_type: invoice.invoice_type, title: invoice.title, tax_number: invoice.tax_number, bank: invoice.bank,
          bank_account: invoice.bank_account, address_phone: invoice.address_phone, mail_to: invoice.mail_to,
          remark: invoice.remark } : { invoice_type: "ordinary_vat" }}>
        <Form.Item name="invoice_type" label={t("fapiao.field.invoice_type")}>
          <Radio.Group optionType="button" buttonStyle="solid" onChange={(e) => {
            setTypeTouched(true);
            // what the other type needed is no longer an error
            form.setFields(DETAIL_FIELDS.filter((f) => !requiredFor(e.target.value as InvoiceType, f))
              .map((f) => ({ name: f, errors: [] })));
          }}
            options={INVOICE_TYPES.map((v) => ({ value: v, label: t(`fapiao.type.${v}`) }))} />
        </Form.Item>
        {missing.length > 0 && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="missing-alert"
            message={t("fapiao.portal.missingAlert", { type: t(`fapiao.type.${type}`),
              fields: missing.map((f) => t(`fapiao.field.${f}`)).join("、") })}
            action={<Link to="/profile">{t("fapiao.portal.profileLink")}</Link>} />)}
        {!invoice && <Typography.Paragraph type="secondary">{t("fapiao.portal.fromProfile")}</Typography.Paragraph>}
        <Row gutter={16}>
          <Col xs={24} md={12}>{text("title")}</Col>
          <Col xs={24} md={12}>{text("tax_number")}</Col>
          <Col xs={24} md={12}>{text("bank")}</Col>
          <Col xs={24} md={12}>{text("bank_account")}</Col>
          <Col span={24}>{text("address_phone")}</Col>
          <Col span={24}>
            <Form.Item name="mail_to" label={t("fapiao.field.mail_to")} extra={t("fapiao.portal.mailToHelp")}
              rules={[{ max: MAX.mail_to, message: t("apiMessage.tooLong", { n: MAX.mail_to }) }]}>
              <Input maxLength={MAX.mail_to} allowClear placeholder={t("fapiao.portal.mailToPlaceholder")} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="remark" label={t("fapiao.field.remark")}
              rules={[{ max: MAX.remark, message: t("apiMessage.tooLong", { n: MAX.remark }) }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={MAX.remark} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-fapiao-request">
          {invoice ? t("fapiao.portal.resubmit") : t("fapiao.portal.submit")}</Button>
      </Form>
    </Space>
  );
}

