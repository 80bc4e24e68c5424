import { DownloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Space, Statistic,
  Table, Tag, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { yuan } from "../lib/money";
import { when } from "../lib/orders";
import { FIRST_MONTH, balanceKind, monthOf, statementExportUrl, statementStatusColor } from "../lib/statements";
import { businessToday } from "../lib/validators";
import { useApiError } from "./hooks";
import { Money } from "./ui";

export type StatementData = Schemas["StatementOut"];
type Entry = Schemas["StatementEntryOut"];

/** A statement's status as a tag (open / confirmed / disputed). */
export function StatementStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statementStatusColor(status)} data-testid="statement-status">
    {t(`statements.status.${status}`, status)}</Tag>;
}

/** Pick a month: 2000-01 to this month (Asia/Shanghai); `optional`: none (every month). */
export function MonthPicker({ value, onChange, optional = false }:
    { value: string | undefined; onChange: (month: string | undefined) => void; optional?: boolean }) {
  const { t } = useTranslation();
  const current = monthOf(businessToday());
  return (
    <DatePicker picker="month" allowClear={optional} value={value ? dayjs(`${value}-01`) : null}
      aria-label={t("statements.month")} placeholder={t("statements.console.allMonths")}
      data-testid="statement-month" format="YYYY-MM"
      disabledDate={(d) => d.format("YYYY-MM") > current || d.format("YYYY-MM") < FIRST_MONTH}
      onChange={(d) => { if (d || optional) onChange(d ? d.format("YYYY-MM") : undefined); }} />
  );
}

/** The Excel file of the statement. */
export function StatementExport({ month, customerId }: { month: string; customerId?: string }) {
  const { t, i18n } = useTranslation();
  return <Button icon={<DownloadOutlined />} href={statementExportUrl(month, i18n.language, customerId)}
    data-testid="statement-export">{t("statements.export")}</Button>;
}

type Row = Entry | { kind: "opening" | "closing"; id: string; entry_date: string; balance: string;
  debit?: string | null; credit?: string | null; order_id?: null; order_number?: null;
  method?: null; reference?: null };

/** A month's statement (B-1): what was owed at its start, every entry by date with the
 * balance after it, what is owed at its end; its acknowledgement and history. `side`
 * words it for the customer or the staff; `orderLink` shows an entry's order number (as a
 * link to the order where the reader may open it). */
export function StatementBody({ s, side, orderLink }:
    { s: StatementData; side: "portal" | "console"; orderLink: (orderId: string, number: string) => ReactNode }) {
  const { t } = useTranslation();
  const who = side === "portal" ? "portal" : "console";
  const closing = balanceKind(s.closing_balance);
  const rows: Row[] = [
    { kind: "opening", id: "opening", entry_date: s.period_start, balance: s.opening_balance },
    ...s.entries,
    { kind: "closing", id: "closing", entry_date: s.period_end, balance: s.closing_balance,
      debit: s.total_debit, credit: s.total_credit },
  ];
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      {!s.ended && <Alert type="info" showIcon message={t("statements.notEnded")} />}
      {s.changed_since_acknowledged && (
        <Alert type="warning" showIcon data-testid="statement-changed"
          message={t(`statements.${who}.changedTitle`)}
          description={t(`statements.${who}.changedText`, {
            then: yuan(s.acknowledged_closing_balance ?? "0"), now: yuan(s.closing_balance) })} />)}
      {s.status === "disputed" && s.dispute_note && (
        <Alert type="error" showIcon data-testid="statement-dispute"
          message={t(`statements.${who}.disputedTitle`)}
          description={<>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 4 }}>{s.dispute_note}</Typography.Paragraph>
            <Typography.Text type="secondary">{s.disputed_by} · {when(s.disputed_at)}</Typography.Text>
          </>} />)}
      {s.status === "open" && s.resolution_note && (
        <Alert type="info" showIcon data-testid="statement-answer"
          message={t(`statements.${who}.answerTitle`)}
          description={<>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 4 }}>{s.resolution_note}</Typography.Paragraph>
            <Typography.Text type="secondary">{s.resolved_by ? `${s.resolved_by} · ` : ""}{when(s.resolved_at)}</Typography.Text>
          </>} />)}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Statistic title={t("statements.opening")} value={yuan(s.opening_balance)} /></Col>
        <Col xs={12} md={6}><Statistic title={t("statements.debit")} value={yuan(s.total_debit)} /></Col>
        <Col xs={12} md={6}><Statistic title={t("statements.credit")} value={yuan(s.total_credit)} /></Col>
        <Col xs={12} md={6}>
          <Statistic title={t("statements.closing")} value={yuan(s.closing_balance)}
            valueStyle={{ color: closing === "owed" ? "#cf1322" : closing === "credit" ? "#389e0d" : undefined }} />
          <Typography.Text type="secondary" data-testid="statement-closing-hint">
            {t(`statements.${who}.balance.${closing}`)}</Typography.Text>
        </Col>
      </Row>
      <Table<Row> rowKey="id" dataSource={rows} pagination={false} size="small" scroll={{ x: 760 }}
        data-testid="statement-entries" locale={{ emptyText: <Empty description={t("statements.noEntries")} /> }}
        rowClassName={(r) => (r.kind === "opening" || r.kind === "closing" ? "statement-total-row" : "")}
        columns={[
          { title: t("statements.col.date"), dataIndex: "entry_date", width: 110 },
          { title: t("statements.col.kind"), dataIndex: "kind", width: 120,
            render: (k: string) => (k === "opening" || k === "closing"
              ? <Typography.Text strong>{t(`statements.${k}`)}</Typography.Text>
              : <Tag color={KIND_COLORS[k]}>{t(`statements.kind.${k}`, k)}</Tag>) },
          { title: t("statements.col.order"), dataIndex: "order_number",
            render: (v: string | null, r) => (v && r.order_id ? orderLink(r.order_id, v) : "") },
          { title: t("statements.col.reference"), key: "ref", responsive: ["md"],
            render: (_: unknown, r) => [r.method ? t(`paymentMethod.${r.method}`, r.method) : null, r.reference]
              .filter(Boolean).join(" · ") },
          { title: t("statements.col.debit"), dataIndex: "debit", align: "right",
            render: (v: string | null | undefined) => (v ? <Money value={v} /> : "") },
          { title: t("statements.col.credit"), dataIndex: "credit", align: "right",
            render: (v: string | null | undefined) => (v ? <Money value={v} /> : "") },
          { title: t("statements.col.balance"), dataIndex: "balance", align: "right",
            render: (v: string, r) => <Money value={v} strong={r.kind === "opening" || r.kind === "closing"} /> },
        ]} />
      {s.history.length > 0 && (
        <Card size="small" title={t("statements.history")}>
          <Timeline items={s.history.map((h, i) => ({
            key: i,
            color: h.action === "disputed" ? "red" : h.action === "confirmed" ? "green" : "blue",
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{t(`statements.action.${h.action}`, h.action)}
                  <Typography.Text type="secondary"> · {t("statements.closing")} <Money value={h.closing_balance} /></Typography.Text>
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {when(h.occurred_at)} · {h.actor ?? t(`statements.staffSide`)}</Typography.Text>
                {h.note && <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{h.note}</Typography.Text>}
              </Space>
            ),
          }))} />
        </Card>
      )}
    </Space>
  );
}

const KIND_COLORS: Record<string, string> = {
  order: "blue", cancellation: "default", return: "orange", payment: "green", reversal: "red",
  refund: "purple",
};

/** The statement's header line: customer and month, status. */
export function StatementTitle({ s, extra }: { s: StatementData; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      <Typography.Text strong>{t("statements.of", { month: s.month })}</Typography.Text>
      <StatementStatusTag status={s.status} />
      {s.status === "confirmed" && s.confirmed_at && (
        <Typography.Text type="secondary">{t("statements.confirmedAt", { at: when(s.confirmed_at), by: s.confirmed_by ?? "" })}</Typography.Text>)}
      {extra}
    </Space>
  );
}

/** The note a statement's dispute (portal) or its answer (console) is sent with: required,
 * at most 500 characters; the server's field errors land on the form. */
export function StatementNoteModal({ title, label, okText, successText, formName, before, danger = false,
  send, onClose }: {
  title: string; label: string; okText: string; successText: string; formName: string;
  before?: ReactNode; danger?: boolean; send: (note: string) => Promise<unknown>;
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { note } = await form.validateFields();
    setBusy(true);
    try {
      await send(note.trim());
      void message.success(successText);
      onClose(true);
    } catch (err) {
      report(err, form);
    } finally { setBusy(false); }
  };
  return (
    <Modal open title={title} onCancel={() => onClose(false)}
      onOk={() => void submit()} okText={okText} okButtonProps={{ loading: busy, danger }}>
      {before}
      <Form form={form} layout="vertical" name={formName}>
        <Form.Item name="note" label={label}
          rules={[{ required: true, whitespace: true, message: t("statements.noteRequired") },
            { max: 500, message: t("statements.noteTooLong") }]}>
          <Input.TextArea rows={4} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
