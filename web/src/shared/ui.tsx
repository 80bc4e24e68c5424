import { Alert, Space, Tag, Tooltip, Typography } from "antd";
import type { CSSProperties, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { yuan } from "../lib/money";
import { useApiError } from "./hooks";

export function PageTitle({ title, extra, sub }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="page-title">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>{title}</Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}

export function Money({ value, strong = false, del = false }:
    { value: string | null | undefined; strong?: boolean; del?: boolean }) {
  if (value == null) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Typography.Text strong={strong} delete={del} type={del ? "secondary" : undefined}
    className="money">{yuan(value)}</Typography.Text>;
}

const ORDER_COLORS: Record<string, string> = {
  submitted: "processing", pending_second_review: "purple", approved: "success", rejected: "error",
  cancellation_requested: "warning", cancelled: "default", processing: "blue",
  partially_shipped: "cyan", shipped: "cyan", received: "geekblue", completed: "green",
};
const CUSTOMER_COLORS: Record<string, string> = {
  pending_review: "processing", approved: "success", rejected: "error",
};

export function OrderStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={ORDER_COLORS[status] ?? "default"}>{t(`orderStatus.${status}`, status)}</Tag>;
}

export function CustomerStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={CUSTOMER_COLORS[status] ?? "default"}>{t(`customerStatus.${status}`, status)}</Tag>;
}

/** An order's payment status. On a rejected or cancelled order nothing is owed (issue 15):
 * "unpaid" is not shown there (a dash instead); what was paid stays visible (it is refunded). */
export function PaymentStatusTag({ status, orderStatus }: { status: string; orderStatus?: string }) {
  const { t } = useTranslation();
  if (status === "unpaid" && (orderStatus === "cancelled" || orderStatus === "rejected")) return <>—</>;
  const color = status === "paid" ? "success" : status === "partially_paid" ? "warning" : "default";
  return <Tag color={color}>{t(`paymentStatus.${status}`, status)}</Tag>;
}

/** The API's error, in the user's language, as an alert (nothing when there is none). */
export function ErrorAlert({ error }: { error: unknown }) {
  const { explain } = useApiError();
  if (!error) return null;
  return <Alert type="error" showIcon message={explain(error)} style={{ marginBottom: 16 }} />;
}

/** Long text in a table cell or a narrow place (issue 15): one line, cut with "…", the
 * whole text in a tooltip on hover. Empty text shows "—". */
export function EllipsisText({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  if (children === null || children === undefined || children === "") {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  return (
    <Tooltip title={children} placement="topLeft">
      <span className="ellipsis-text" style={{ display: "block", overflow: "hidden", textOverflow: "ellipsis",
        whiteSpace: "nowrap", maxWidth: "100%", ...style }}>{children}</span>
    </Tooltip>
  );
}
