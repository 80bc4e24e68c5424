import { CheckOutlined, ExclamationCircleOutlined } from "@ant-design/icons";
import { App, Button, Card, Popconfirm, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { yuan } from "../../lib/money";
import { monthFromSearch } from "../../lib/statements";
import { useApiError, useLoad } from "../../shared/hooks";
import { MonthPicker, StatementBody, StatementExport, StatementNoteModal, StatementTitle } from "../../shared/Statement";
import type { StatementData } from "../../shared/Statement";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { messagesChanged } from "../inbox";

/** My monthly statement (对账单, B-1): pick a month (last month by default), read the
 *  opening balance, every order, payment, return and refund with the running balance and
 *  the closing balance; confirm an ended month or dispute it with a note; download it. */
export function StatementsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [search, setSearch] = useSearchParams();
  const month = monthFromSearch(search);
  const statement = useLoad(() => unwrap(api.GET("/api/portal/statements", {
    params: { query: { month } } })), [month]);
  const [disputing, setDisputing] = useState(false);
  const [busy, setBusy] = useState(false);
  const s = statement.data;

  const confirm = async (current: StatementData) => {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/portal/statements/{month}/confirm", {
        params: { path: { month: current.month } },
        body: { closing_balance: current.closing_balance } }));
      void message.success(t("statements.portal.confirmed"));
      statement.reload();
    } catch (err) {
      report(err);
      statement.reload();
    } finally { setBusy(false); }
  };

  return (
    <>
      <PageTitle title={t("statements.title")} sub={t("statements.portal.sub")}
        extra={<>
          <MonthPicker value={month} onChange={(m) => { if (m) setSearch({ month: m }); }} />
          <StatementExport month={month} />
        </>} />
      <ErrorAlert error={statement.error} />
      {!s ? (statement.loading && <Skeleton active />) : (
        <Card title={<StatementTitle s={s} />} extra={
          <Space wrap>
            {s.actions.includes("confirm") && (
              <Popconfirm title={t("statements.portal.confirmTitle")}
                description={t("statements.portal.confirmText", { closing: yuan(s.closing_balance) })}
                okText={t("statements.portal.confirm")} onConfirm={() => void confirm(s)}>
                <Button type="primary" icon={<CheckOutlined />} loading={busy} data-testid="statement-confirm">
                  {t("statements.portal.confirm")}</Button>
              </Popconfirm>)}
            {s.actions.includes("dispute") && (
              <Button danger icon={<ExclamationCircleOutlined />} onClick={() => setDisputing(true)}
                data-testid="statement-dispute-open">{t("statements.portal.dispute")}</Button>)}
          </Space>}>
          <StatementBody s={s} side="portal" orderLink={(id, number) => <Link to={`/orders/${id}`}>{number}</Link>} />
        </Card>
      )}
      {disputing && s && (
        <DisputeModal month={s.month} onClose={(done) => {
          setDisputing(false);
          if (done) { statement.reload(); messagesChanged(); }
        }} />)}
    </>
  );
}

function DisputeModal({ month, onClose }: { month: string; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <StatementNoteModal title={t("statements.portal.disputeTitle", { month })} label={t("statements.note")}
      okText={t("statements.portal.disputeSend")} successText={t("statements.portal.disputed")}
      formName="statement-dispute" danger onClose={onClose}
      before={<Typography.Paragraph type="secondary">{t("statements.portal.disputeHelp")}</Typography.Paragraph>}
      send={(note) => unwrap(api.POST("/api/portal/statements/{month}/dispute", {
        params: { path: { month } }, body: { note } }))} />
  );
}
