import { BellOutlined, CheckOutlined } from "@ant-design/icons";
import { Badge, Button, Empty, List, Popover, Space, Tag, Tooltip, Typography, notification as antdNotification } from "antd";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { useApiError } from "../shared/hooks";
import { usePrompts } from "./usePrompts";
import { formatDateTime } from "../lib/dates";
import { POPUP_PLACEMENT, promptTitle, targetOf } from "./promptTargets";
import type { Prompt } from "./usePrompts";

/** The prompt bell (N-3): unread count, the latest prompts, a window for new orders. */
export function PromptBell() {
  const { t, i18n } = useTranslation();
  // its own notification holder: bottom-right, at most POPUP_PLACEMENT.maxCount at once, so
  // the pop-ups never cover the header (bell, language, user menu) — issue 15
  const [notification, popups] = antdNotification.useNotification({
    placement: POPUP_PLACEMENT.placement, bottom: POPUP_PLACEMENT.bottom, maxCount: POPUP_PLACEMENT.maxCount,
    stack: { threshold: POPUP_PLACEMENT.stackFrom } });
  const navigate = useNavigate();
  const { report } = useApiError();
  const [open, setOpen] = useState(false);
  const text = useCallback((p: Prompt) => (i18n.language === "en-US" ? p.message_en : p.message), [i18n.language]);

  const { prompts, unread, mode, markRead, markAllRead } = usePrompts(useCallback((p: Prompt) => {
    window.dispatchEvent(new CustomEvent("dinghuo:prompt", { detail: p }));
    if (!p.window) return;
    const key = `prompt-${p.id}`;
    notification.open({
      key,
      type: "info",
      message: promptTitle(t, p.kind),
      className: "prompt-popup",
      description: text(p),
      duration: 0,
      placement: POPUP_PLACEMENT.placement,
      btn: (
        <Space>
          <Button size="small" onClick={() => { notification.destroy(key); void markReadRef(p); }}>{t("prompt.gotIt")}</Button>
          <Button size="small" type="primary" onClick={() => {
            notification.destroy(key);
            void markReadRef(p);
            navigate(targetOf(p));
          }}>{t("prompt.open")}</Button>
        </Space>
      ),
    });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, text, navigate, notification]));

  // markRead is created by usePrompts; the notification buttons reach it through this.
  const markReadRef = (p: Prompt) => markRead(p).catch((err: unknown) => report(err));

  const content = (
    <div style={{ width: 360, maxWidth: "80vw" }}>
      <List<Prompt>
        dataSource={prompts.slice(0, 12)}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("prompt.none")} /> }}
        renderItem={(p) => (
          <List.Item className={`prompt-item${p.read_at ? "" : " unread"}`}
            onClick={() => { setOpen(false); void markReadRef(p); navigate(targetOf(p)); }}>
            <List.Item.Meta
              avatar={p.read_at ? <Badge status="default" /> : <Badge status="processing" />}
              title={<Space size={4}><Tag color={p.window ? "red" : "blue"}>{promptTitle(t, p.kind)}</Tag></Space>}
              description={<>
                <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2 }}>{text(p)}</Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(p.created_at)}</Typography.Text>
              </>}
            />
          </List.Item>
        )}
      />
    </div>
  );

  return (
    <>
      {popups}
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="bottomRight"
        title={
          <Space style={{ width: "100%", justifyContent: "space-between" }}>
            <span>{t("prompt.title")} <Tooltip title={t(`prompt.mode.${mode}`)}>
              <Badge status={mode === "live" ? "success" : mode === "polling" ? "warning" : "default"} />
            </Tooltip></span>
            <Button size="small" type="link" icon={<CheckOutlined />} disabled={unread === 0}
              onClick={() => void markAllRead().catch((err: unknown) => report(err))}>{t("prompt.readAll")}</Button>
          </Space>
        }
        content={content}
      >
        <Badge count={unread} size="small" overflowCount={99}>
          <Button type="text" shape="circle" aria-label={t("prompt.title")} data-testid="prompt-bell" data-mode={mode}
            icon={<BellOutlined style={{ fontSize: 18 }} />} />
        </Badge>
      </Popover>
    </>
  );
}
