import { Descriptions, Space, Table, Tag, Timeline, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { when } from "../lib/orders";
import { Money } from "./ui";

export type Invoice = Schemas["InvoiceOut"];
type InvoiceOrder = Schemas["InvoiceOrderOut"];

const STATUS_COLORS: Record<string, string> = {
  requested: "processing", issued: "blue", confirmed: "success", rejected: "error",
};

/** 待开票 / 已开票 / 已收到 / 已退回. */
export function InvoiceStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status] ?? "default"} data-testid="invoice-status">
    {t(`fapiao.status.${status}`, status)}</Tag>;
}

/** The fapiao numbers (with each one's amount when there are several). */
export function FapiaoNumbers({ invoice }: { invoice: Invoice }) {
  if (!invoice.fapiao.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space direction="vertical" size={0} data-testid="fapiao-numbers">
      {invoice.fapiao.map((f) => (
        <span key={f.invoice_number}>
          <Typography.Text copyable={{ text: f.invoice_number }}>{f.invoice_number}</Typography.Text>
          {invoice.fapiao.length > 1 && <Typography.Text type="secondary"> <Money value={f.amount} /></Typography.Text>}
        </span>
      ))}
    </Space>
  );
}

/** "顺丰速运 SF1234567890" (the tracking number copyable), or —. */
export function CourierText({ invoice }: { invoice: Invoice }) {
  if (!invoice.courier && !invoice.tracking_number) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap data-testid="invoice-courier">
      {invoice.courier && <span>{invoice.courier}</span>}
      {invoice.tracking_number && <Typography.Text copyable>{invoice.tracking_number}</Typography.Text>}
    </Space>
  );
}

/** What the fapiao shows and where it goes, and once issued its numbers, dates and
 *  courier. */
export function InvoiceDetails({ invoice, extra }: { invoice: Invoice; extra?: ReactNode }) {
  const { t } = useTranslation();
  const v = (s: string | null | undefined) => s || <Typography.Text type="secondary">—</Typography.Text>;
  const issued = invoice.status === "issued" || invoice.status === "confirmed";
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="invoice-details">
      {extra}
      <Descriptions.Item label={t("fapiao.field.invoice_type")}>{t(`fapiao.type.${invoice.invoice_type}`)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.amount")}><Money value={invoice.amount} strong /></Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.title")}>{v(invoice.title)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.tax_number")}>{v(invoice.tax_number)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.bank")}>{v(invoice.bank)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.bank_account")}>{v(invoice.bank_account)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.address_phone")} span={2}>{v(invoice.address_phone)}</Descriptions.Item>
      <Descriptions.Item label={t("fapiao.field.mail_to")} span={2}>{v(invoice.mail_to)}</Descriptions.Item>
      {invoice.remark && <Descriptions.Item label={t("fapiao.field.remark")} span={2}>
        <span style={{ whiteSpace: "pre-wrap" }}>{invoice.remark}</span></Descriptions.Item>}
      {issued && <>
        <Descriptions.Item label={t("fapiao.field.invoice_number")} span={2}><FapiaoNumbers invoice={invoice} /></Descriptions.Item>
        <Descriptions.Item label={t("fapiao.field.invoice_date")}>{v(invoice.invoice_date)}</Descriptions.Item>
        <Descriptions.Item label={t("fapiao.field.sent_at")}>{when(invoice.sent_at)}</Descriptions.Item>
        <Descriptions.Item label={t("fapiao.field.courier")}>{v(invoice.courier)}</Descriptions.Item>
        <Descriptions.Item label={t("fapiao.field.tracking_number")}>
          {invoice.tracking_number ? <Typography.Text copyable>{invoice.tracking_number}</Typography.Text> : v(null)}
        </Descriptions.Item>
      </>}
    </Descriptions>
  );
}

/** The orders on the invoice: total, refunds of approved returns, what is invoiced. */
export function InvoiceOrders({ invoice, link }: { invoice: Invoice; link?: (o: InvoiceOrder) => ReactNode }) {
  const { t } = useTranslation();
  return (
    <Table<InvoiceOrder> size="small" rowKey="order_id" dataSource={invoice.orders} scroll={{ x: 520 }}
      pagination={invoice.orders.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      data-testid="invoice-orders"
      columns={[
        { title: t("field.order_number"), dataIndex: "number", render: (n: string, o) => link ? link(o) : n },
        { title: t("fapiao.orderTotal"), dataIndex: "total", align: "right", render: (v: string) => <Money value={v} /> },
        { title: t("fapiao.refund"), dataIndex: "refund_amount", align: "right",
          render: (v: string) => Number(v) > 0 ? <Money value={v} /> : <Typography.Text type="secondary">—</Typography.Text> },
        { title: t("fapiao.invoiceAmount"), dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} strong /> },
      ]}
      summary={() => invoice.orders.length > 1 ? (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={3}>{t("fapiao.total")}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right"><Money value={invoice.amount} strong /></Table.Summary.Cell>
        </Table.Summary.Row>) : null} />
  );
}

interface Step { at: string; color: string; text: ReactNode }

/** What happened to the request, oldest first: submitted, returned (with the reason),
 *  resubmitted, issued, receipt confirmed. */
export function InvoiceHistory({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const steps: Step[] = [{ at: invoice.created_at, color: "blue",
    text: t("fapiao.history.requested", { who: invoice.requested_by }) }];
  if (invoice.rejected_at) {
    steps.push({ at: invoice.rejected_at, color: "red", text: <>
      {t("fapiao.history.rejected", { who: invoice.rejected_by ?? "" })}
      {invoice.rejection_reason && <div><Typography.Text type="danger">{invoice.rejection_reason}</Typography.Text></div>}
    </> });
    if (Date.parse(invoice.requested_at) > Date.parse(invoice.rejected_at)) {
      steps.push({ at: invoice.requested_at, color: "blue",
        text: t("fapiao.history.resubmitted", { who: invoice.requested_by }) });
    }
  }
  if (invoice.issued_at) {
    steps.push({ at: invoice.issued_at, color: "green",
      text: t("fapiao.history.issued", { who: invoice.issued_by ?? "",
        numbers: invoice.fapiao.map((f) => f.invoice_number).join("、") }) });
  }
  if (invoice.confirmed_at) {
    steps.push({ at: invoice.confirmed_at, color: "green", text: t("fapiao.history.confirmed") });
  }
  steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Timeline data-testid="invoice-history" items={steps.map((s) => ({
      color: s.color,
      children: <><Typography.Text type="secondary" style={{ marginRight: 8 }}>{when(s.at)}</Typography.Text>{s.text}</>,
    }))} />
  );
}
