import { Card, Descriptions, Table, Tag } from "antd";
import type { TableColumnsType } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { toCents } from "../lib/money";
import { ErrorAlert, Money } from "./ui";

export type Ledger = Schemas["LedgerOut"];
export type LedgerEntry = Schemas["LedgerEntryOut"];

const KIND_COLORS: Record<string, string> = { payment: "green", reversal: "orange", refund: "purple" };

/** A payment that no longer counts (reversed), or a reversal that took nothing off
 * (waiting or rejected): its amount is struck through. */
function struck(e: LedgerEntry): boolean {
  return (e.kind === "payment" && e.status === "reversed") || (e.kind === "reversal" && e.status !== "approved");
}

/** What a customer reads as an entry's status: a refund is money paid back. */
function portalStatus(e: LedgerEntry): string {
  return e.kind === "refund" ? "refunded" : e.status;
}

/** An order's payment ledger (O-6): payments, reversals and refunds, oldest first, with the
 * paid, outstanding and refunded totals. Staff (`side="console"`) also see who recorded or
 * decided each entry and the actions `actions` gives; the customer (`side="portal"`) sees
 * its money: reversed payments struck and tagged, refunds as money paid back. `status`, the
 * order's: a rejected or cancelled order owes nothing and shows no amount outstanding (issue 15). */
export function LedgerCard({ ledger, loading, error, side, title, extra, actions, status }: {
  ledger: Ledger | undefined; loading: boolean; error?: unknown; side: "console" | "portal";
  title?: ReactNode; extra?: ReactNode; actions?: (e: LedgerEntry) => ReactNode; status?: string;
}) {
  const { t } = useTranslation();
  const portal = side === "portal";
  const entries = ledger?.entries ?? [];
  const refundable = ledger ? toCents(ledger.refundable) : 0n;
  const columns: TableColumnsType<LedgerEntry> = [
    { title: t("ledger.col.kind"), dataIndex: "kind", render: (k: string) =>
      <Tag color={KIND_COLORS[k]}>{t(portal ? `ledger.portal.kind.${k}` : `ledger.kind.${k}`)}</Tag> },
    { title: t("ledger.col.amount"), dataIndex: "amount", align: "right", render: (v: string, e) => (
      <span data-testid="ledger-amount"><Money value={e.kind === "payment" ? v : `-${v}`} del={struck(e)} /></span>) },
    { title: t("ledger.col.date"), dataIndex: "entry_date" },
    { title: t("ledger.col.method"), dataIndex: "method", render: (m: string | null) =>
      m ? t([`paymentMethod.${m}`, `pay.method.${m}`], m) : "—" },
    { title: t("ledger.col.reference"), dataIndex: "reference", render: (v: string | null) => v ?? "—" },
    ...(portal ? [] : [{ title: t("ledger.col.by"), dataIndex: "recorded_by", render: (v: string | null, e: LedgerEntry) =>
      e.decided_by ? `${v ?? ""} → ${e.decided_by}` : (v ?? "—") }]),
    { title: t("ledger.col.status"), dataIndex: "status", render: (v: string, e) => (
      <span data-testid="ledger-status">{e.kind === "payment" && v === "reversed"
        ? <Tag color="red">{t(portal ? "ledger.portal.status.reversed" : "ledger.status.reversed")}</Tag>
        : t(portal ? `ledger.portal.status.${portalStatus(e)}` : `ledger.status.${v}`)}</span>) },
    { title: t("ledger.col.reason"), dataIndex: "reason", render: (v: string | null, e) =>
      (portal ? [v] : [v, e.decision_reason]).filter(Boolean).join(" / ") || "—" },
    ...(actions ? [{ title: t("common.actions"), key: "a", render: (_: unknown, e: LedgerEntry) => actions(e) }] : []),
  ];
  return (
    <Card title={title ?? t(portal ? "ledger.portal.title" : "ledger.title")} size={portal ? "default" : "small"}
      data-testid="payment-ledger" extra={extra}>
      <ErrorAlert error={error} />
      {ledger && (
        <Descriptions size="small" column={{ xs: 2, sm: 4 }} style={{ marginBottom: 12 }} data-testid="ledger-totals">
          <Descriptions.Item label={t(portal ? "ledger.portal.paidTotal" : "ledger.paidTotal")}>
            <span data-testid="ledger-paid"><Money value={ledger.paid_total} strong /></span></Descriptions.Item>
          {status !== "rejected" && status !== "cancelled" && (
            <Descriptions.Item label={t(portal ? "ledger.portal.outstanding" : "ledger.outstanding")}>
              <span data-testid="ledger-outstanding"><Money value={ledger.outstanding} /></span></Descriptions.Item>)}
          <Descriptions.Item label={t("ledger.refundedTotal")}>
            <span data-testid="ledger-refunded"><Money value={ledger.refunded_total} /></span></Descriptions.Item>
          {(!portal || refundable > 0n) && (
            <Descriptions.Item label={t(portal ? "ledger.portal.refundable" : "ledger.refundable")}>
              <span data-testid="ledger-refundable"><Money value={ledger.refundable} /></span></Descriptions.Item>
          )}
        </Descriptions>
      )}
      <Table<LedgerEntry> rowKey="id" size="small" pagination={false} loading={loading} dataSource={entries}
        locale={{ emptyText: t("ledger.empty") }} scroll={{ x: true }} columns={columns}
        rowClassName={(e) => `ledger-${e.kind}-${e.status}`} />
    </Card>
  );
}
