import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { deliveryStatusColor } from "../lib/messages";

const CHANNEL_COLORS: Record<string, string> = { inbox: "blue", sms: "cyan", wechat: "green", email: "purple" };

/** A notifier delivery's status (N-2), with a count when given ("已送达 3"). */
export function DeliveryStatusTag({ status, count }: { status: string; count?: number }) {
  const { t } = useTranslation();
  return <Tag color={deliveryStatusColor(status)} data-status={status}>
    {t(`deliveryStatus.${status}`, status)}{count !== undefined ? ` ${count}` : ""}</Tag>;
}

/** A message channel: 站内信, 短信, 微信, 邮件. */
export function ChannelTag({ channel }: { channel: string }) {
  const { t } = useTranslation();
  return <Tag color={CHANNEL_COLORS[channel] ?? "default"}>{t(`channel.${channel}`, channel)}</Tag>;
}
