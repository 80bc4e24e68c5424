import { CheckOutlined, SettingOutlined } from "@ant-design/icons";
import { App, Badge, Button, Card, List, Segmented, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { useApiError, useLoad } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { staffMessageParts } from "../../lib/messages";
import { when } from "../../lib/orders";
import { inboxKindLabel, messagesChanged } from "../inbox";
import { NotificationSettings } from "./NotificationSettings";

type Message = Schemas["MessageOut"];

/** The customer's inbox (N-5): what the supplier told it, newest first, with read state;
 *  mark one or all as read. An order's message links to the order; a staff message (N-1)
 *  shows its title and text. How else to be told (SMS, WeChat, N-2) is set here too. */
export function MessagesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [only, setOnly] = useState<"all" | "unread">("all");
  const [page, setPage] = useState(1);
  const [settings, setSettings] = useState(false);
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/portal/messages", { params: { query: {
    unread: only === "unread" ? true : undefined, limit: pageSize, offset: (page - 1) * pageSize } } })),
  [only, page]);
  const english = !i18n.language.startsWith("zh");

  const read = async (m: Message) => {
    try {
      await unwrap(api.POST("/api/portal/messages/{message_id}/read", { params: { path: { message_id: m.id } } }));
      list.reload();
      messagesChanged();
    } catch (err) { report(err); }
  };
  const readAll = async () => {
    try {
      await unwrap(api.POST("/api/portal/messages/read-all"));
      void message.success(t("inbox.allRead"));
      list.reload();
      messagesChanged();
    } catch (err) { report(err); }
  };
  const orderId = (m: Message) => typeof m.data?.order_id === "string" ? m.data.order_id : undefined;

  return (
    <>
      <PageTitle title={t("inbox.title")} sub={t("inbox.sub")}
        extra={<>
          <Button icon={<SettingOutlined />} onClick={() => setSettings(true)} data-testid="notification-settings">
            {t("notifySettings.open")}</Button>
          <Button icon={<CheckOutlined />} onClick={() => void readAll()} data-testid="read-all">{t("inbox.readAll")}</Button>
        </>} />
      <ErrorAlert error={list.error} />
      <Card>
        <Segmented<"all" | "unread"> value={only} style={{ marginBottom: 12 }}
          onChange={(v) => { setOnly(v); setPage(1); }}
          options={[{ value: "all", label: t("inbox.all") }, { value: "unread", label: t("inbox.unread") }]} />
        <List<Message>
          loading={list.loading}
          dataSource={list.data?.items}
          locale={{ emptyText: t("inbox.empty") }}
          pagination={list.data && list.data.total > pageSize ? {
            current: page, pageSize, total: list.data.total, onChange: setPage, showSizeChanger: false } : false}
          renderItem={(m) => (
            <List.Item data-testid="message" data-unread={m.read_at ? "false" : "true"}
              actions={m.read_at ? [] : [<Button key="read" size="small" type="link" onClick={() => void read(m)}>{t("inbox.markRead")}</Button>]}>
              <List.Item.Meta
                avatar={<Badge status={m.read_at ? "default" : "processing"} />}
                title={<Space wrap size={6}>
                  <Tag color={kindColor(m.kind)}>
                    {inboxKindLabel(t, m.kind)}</Tag>
                  {m.kind === "staff_message"
                    ? <Typography.Text strong style={{ wordBreak: "break-word" }} data-testid="message-title">
                      {staffMessageParts(m.data, m.message).title}</Typography.Text>
                    : <Typography.Text strong={!m.read_at} style={{ wordBreak: "break-word" }}>
                      {english ? m.message_en : m.message}</Typography.Text>}
                </Space>}
                description={<>
                  {m.kind === "staff_message" && (
                    <Typography.Paragraph style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", marginBottom: 4 }}
                      type={m.read_at ? "secondary" : undefined} data-testid="message-body">
                      {staffMessageParts(m.data, m.message).body}</Typography.Paragraph>)}
                  <Space size={12} wrap>
                    <span>{when(m.created_at)}</span>
                    {orderId(m) && <Link to={`/orders/${orderId(m)}`}>{t("inbox.viewOrder")}</Link>}
                    {m.kind.startsWith("invoice_") && <Link to="/invoices">{t("fapiao.viewInvoices")}</Link>}
                    {m.kind.startsWith("statement_") && typeof m.data?.month === "string" && (
                      <Link to={`/statements?month=${m.data.month}`}>{t("statements.viewStatement")}</Link>)}
                  </Space>
                </>} />
            </List.Item>
          )}
        />
      </Card>
      <NotificationSettings open={settings} onClose={() => setSettings(false)} />
    </>
  );
}

function kindColor(kind: string): string {
  if (kind === "staff_message") return "purple";
  return kind.includes("due") || kind.includes("rejected") ? "orange" : "blue";
}
