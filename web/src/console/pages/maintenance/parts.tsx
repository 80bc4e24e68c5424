import { Table, Tag, Tooltip, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrapList } from "../../../api/client";
import type { Schemas } from "../../../api/client";
import {
  KIND_COLORS, kindKey, PAYMENT_COLORS, paymentKey, recordState, STATE_COLORS, stateKey,
} from "../../../lib/maintenance";
import type { Kind, PaymentStatus, RecordMenu } from "../../../lib/maintenance";
import { machineText } from "./data";
import { ellipsisColumn } from "../../../shared/columns";
import { useLoad } from "../../../shared/hooks";
import { ErrorAlert, Money } from "../../../shared/ui";

export type RecordSummary = Schemas["RecordSummary"];
export type RecordOut = Schemas["RecordOut"];
export type Category = Schemas["CategoryOut"];

export const PAGE = 20;

/** The list's filters (GET /api/console/maintenance-records). */
export interface RecordQuery {
  menu?: RecordMenu;
  customer_id?: string;
  machine_id?: string;
  kind?: Kind;
  category_id?: string;
  engineer?: string;
  area?: string;
  accessory?: string;
  payment_status?: PaymentStatus;
  from?: string;
  to?: string;
  q?: string;
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind as Kind] ?? "default"} data-testid="kind-tag">{t(kindKey(kind), kind)}</Tag>;
}

export function StateTag({ record }: { record: { processed: boolean; suspended: boolean; suspended_reason?: string | null } }) {
  const { t } = useTranslation();
  const state = recordState(record);
  const tag = <Tag color={STATE_COLORS[state]} data-testid="state-tag">{t(stateKey(state))}</Tag>;
  return state === "suspended" && record.suspended_reason ? <Tooltip title={record.suspended_reason}>{tag}</Tooltip> : tag;
}

export function PaymentTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={PAYMENT_COLORS[status as PaymentStatus] ?? "default"}>{t(paymentKey(status), status)}</Tag>;
}

/** 返厂 / 重点 / 回访到期 as tags. */
export function FlagTags({ record }: { record: RecordSummary }) {
  const { t } = useTranslation();
  return (
    <span data-testid="flag-tags">
      {record.return_to_factory && <Tag color="purple">{t("maintenance.flag.factory")}</Tag>}
      {record.key_matter && <Tag color="red">{t("maintenance.flag.key")}</Tag>}
      {record.due_on && <Tag color="cyan">{t("maintenance.flag.due", { date: record.due_on })}</Tag>}
    </span>
  );
}

/** A paged table of records under `query`; `version` changes reload it. */
export function RecordsTable({ query, version, onOpen, testId, emptyText }:
    { query: RecordQuery; version: number; onOpen: (id: string) => void; testId: string; emptyText?: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const key = JSON.stringify(query);
  useEffect(() => setPage(1), [key]);
  const list = useLoad(() => unwrapList(api.GET("/api/console/maintenance-records", { params: { query: {
    ...query, limit: PAGE, offset: (page - 1) * PAGE } } })), [key, page, version]);
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<RecordSummary> rowKey="id" size="middle" loading={list.loading} dataSource={list.data?.items}
        scroll={{ x: 1300 }} data-testid={testId} locale={{ emptyText: emptyText ?? t("maintenance.empty") }}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: "pointer" } })}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total, onChange: setPage,
          showSizeChanger: false, showTotal: (n) => t("common.total", { n }) }}
        columns={[
          { title: t("maintenance.serviceDate"), dataIndex: "service_date", width: 110 },
          ellipsisColumn<RecordSummary>({ title: t("maintenance.customer"), key: "customer", width: 180,
            render: (_: unknown, r: RecordSummary) => (
              <span title={r.customer_name ?? ""}>{r.customer_name ?? "—"}
                {r.customer_number && <Typography.Text type="secondary"> {r.customer_number}</Typography.Text>}</span>) }),
          { title: t("maintenance.kindLabel"), dataIndex: "kind", width: 90, render: (k: string) => <KindTag kind={k} /> },
          ellipsisColumn<RecordSummary>({ title: t("maintenance.category"), dataIndex: "category_name", width: 120,
            render: (v: string | null) => v ?? "—" }),
          ellipsisColumn<RecordSummary>({ title: t("maintenance.machine"), key: "machine", width: 160,
            render: (_: unknown, r: RecordSummary) => machineText(r) || "—" }),
          ellipsisColumn<RecordSummary>({ title: t("maintenance.content"), dataIndex: "content", width: 260,
            render: (v: string, r: RecordSummary) => <span title={v}>{v}
              {r.entry_count > 0 && <Typography.Text type="secondary">
                {" "}{t("maintenance.entryCount", { n: r.entry_count })}</Typography.Text>}</span> }),
          ellipsisColumn<RecordSummary>({ title: t("maintenance.engineer"), dataIndex: "engineer", width: 100,
            render: (v: string | null) => v ?? "—" }),
          { title: t("maintenance.charge"), key: "charge", width: 170,
            render: (_: unknown, r: RecordSummary) => <span><Money value={r.charge} />{" "}<PaymentTag status={r.payment_status} /></span> },
          { title: t("maintenance.flags"), key: "flags", width: 170,
            render: (_: unknown, r: RecordSummary) => <FlagTags record={r} /> },
          { title: t("maintenance.stateLabel"), key: "state", width: 90, fixed: "right",
            render: (_: unknown, r: RecordSummary) => <StateTag record={r} /> },
        ]} />
    </>
  );
}
