import { ArrowLeftOutlined, MessageOutlined } from "@ant-design/icons";
import { Button, Card, Drawer, Segmented, Skeleton, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { isStatementMonth, lastMonth, monthFromSearch } from "../../lib/statements";
import { when } from "../../lib/orders";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useLoad } from "../../shared/hooks";
import { MonthPicker, StatementBody, StatementExport, StatementNoteModal, StatementStatusTag, StatementTitle } from "../../shared/Statement";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";

type Summary = Schemas["StatementSummaryOut"];
type Status = "disputed" | "confirmed" | "open";

/** Acknowledged statements of the staff member's areas (B-1, C-7): the disputes waiting
 *  for an answer first; a row opens the customer's statement of that month. */
export function StatementsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const status = (search.get("status") ?? "disputed") as Status | "all";
  const month = isStatementMonth(search.get("month")) ? search.get("month") ?? undefined : undefined;
  const [page, setPage] = useState(1);
  const pageSize = 50;
  const list = useLoad(() => unwrapList(api.GET("/api/console/statements", { params: { query: {
    status: status === "all" ? undefined : status, month, limit: pageSize, offset: (page - 1) * pageSize } } })),
  [status, month, page]);
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value); else next.delete(key);
    setSearch(next);
    setPage(1);
  };
  const open = (r: Summary) => navigate(`/statements/${r.customer_id}?month=${r.month}`);

  return (
    <>
      <PageTitle title={t("statements.consoleTitle")} sub={t("statements.console.sub")} />
      <ErrorAlert error={list.error} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented<Status | "all"> value={status} onChange={(v) => set("status", v)} data-testid="statement-filter"
            options={(["disputed", "confirmed", "open", "all"] as const).map((s) => ({
              value: s, label: s === "all" ? t("common.all") : t(`statements.status.${s}`) }))} />
          <MonthPicker value={month} optional onChange={(m) => set("month", m)} />
        </Space>
        <Table<Summary> rowKey={(r) => `${r.customer_id}-${r.month}`} loading={list.loading}
          dataSource={list.data?.items} scroll={{ x: 900 }} data-testid="statement-list"
          locale={{ emptyText: t("statements.console.empty") }}
          pagination={list.data && list.data.total > pageSize ? {
            current: page, pageSize, total: list.data.total, onChange: setPage, showSizeChanger: false } : false}
          onRow={(r) => ({ onClick: () => open(r), style: { cursor: "pointer" } })}
          columns={[
            { title: t("statements.col.customer"), dataIndex: "customer_name",
              render: (v: string | null, r) => <Link to={`/statements/${r.customer_id}?month=${r.month}`}
                onClick={(e) => e.stopPropagation()}>{v ?? r.customer_id}</Link> },
            { title: t("field.area"), dataIndex: "area", responsive: ["md"], render: (v: string | null) => v ?? "—" },
            { title: t("statements.month"), dataIndex: "month", width: 100 },
            { title: t("field.status"), dataIndex: "status", width: 100,
              render: (s: string) => <StatementStatusTag status={s} /> },
            { title: t("statements.closing"), dataIndex: "closing_balance", align: "right",
              render: (v: string) => <Money value={v} /> },
            ellipsisColumn<Summary>({ title: t("statements.note"), dataIndex: "dispute_note",
              render: (v: string | null, r) => (r.status === "disputed" ? v : r.resolution_note) ?? "—" }),
            { title: t("statements.col.updated"), dataIndex: "updated_at", responsive: ["lg"],
              render: (v: string) => when(v) },
          ]} />
      </Card>
    </>
  );
}

/** One customer's statement of a month (B-1), from the list, a prompt or the customer. */
export function CustomerStatementPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { customerId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const month = monthFromSearch(search);
  return (
    <>
      <PageTitle title={t("statements.consoleTitle")}
        extra={<Button icon={<ArrowLeftOutlined />} onClick={() => navigate("/statements")}>{t("common.back")}</Button>} />
      <CustomerStatement customerId={customerId} month={month} showCustomer
        onMonth={(m) => setSearch({ month: m })} />
    </>
  );
}

/** The statements tab of a customer's page: last month first. */
export function CustomerStatementTab({ customerId }: { customerId: string }) {
  const [month, setMonth] = useState(lastMonth());
  return <CustomerStatement customerId={customerId} month={month} onMonth={setMonth} />;
}

/** A customer's statement with its month picker, Excel file and — for a dispute, with
 *  payments:review — the answer. */
export function CustomerStatement({ customerId, month, onMonth, showCustomer = false }:
    { customerId: string; month: string; onMonth: (month: string) => void; showCustomer?: boolean }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [answering, setAnswering] = useState(false);
  const [viewing, setViewing] = useState<string>();
  const canOrders = has(me?.permissions, "orders:query");
  const statement = useLoad(() => unwrap(api.GET("/api/console/customers/{customer_id}/statements", {
    params: { path: { customer_id: customerId }, query: { month } } })), [customerId, month]);
  const s = statement.data;
  const canAnswer = has(me?.permissions, "payments:review");
  return (
    <>
      <ErrorAlert error={statement.error} />
      <Card data-testid="customer-statement"
        title={s ? <StatementTitle s={s} extra={showCustomer && s.customer_name && (
          <Link to={`/customers/${customerId}`}>{s.customer_name}{s.customer_number ? ` · ${s.customer_number}` : ""}</Link>)} />
          : t("statements.consoleTitle")}
        extra={<Space wrap>
          <MonthPicker value={month} onChange={(m) => { if (m) onMonth(m); }} />
          <StatementExport month={month} customerId={customerId} />
          {s?.actions.includes("resolve") && canAnswer && (
            <Button type="primary" icon={<MessageOutlined />} onClick={() => setAnswering(true)}
              data-testid="statement-resolve-open">{t("statements.console.resolve")}</Button>)}
        </Space>}>
        {!s ? <Skeleton active /> : (
          <StatementBody s={s} side="console" orderLink={(id, number) => (canOrders
            ? <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setViewing(id)}>{number}</Button>
            : number)} />)}
      </Card>
      <Drawer open={!!viewing} width={Math.min(960, window.innerWidth)} onClose={() => setViewing(undefined)}
        title={t("orders.detail")} destroyOnHidden>
        {viewing && <ConsoleOrderDetail id={viewing} onChanged={statement.reload} />}
      </Drawer>
      {answering && s && (
        <ResolveModal customerId={customerId} month={s.month} note={s.dispute_note}
          onClose={(done) => { setAnswering(false); if (done) statement.reload(); }} />)}
    </>
  );
}

function ResolveModal({ customerId, month, note, onClose }:
    { customerId: string; month: string; note: string | null; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <StatementNoteModal title={t("statements.console.resolveTitle", { month })}
      label={t("statements.console.answer")} okText={t("statements.console.resolveSend")}
      successText={t("statements.console.resolved")} formName="statement-resolve" onClose={onClose}
      before={<>
        {note && <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>
          {t("statements.console.disputeWas")}{note}</Typography.Paragraph>}
        <Typography.Paragraph type="secondary">{t("statements.console.answerHelp")}</Typography.Paragraph>
      </>}
      send={(answer) => unwrap(api.POST("/api/console/customers/{customer_id}/statements/{month}/resolve", {
        params: { path: { customer_id: customerId, month } }, body: { note: answer } }))} />
  );
}
