import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { processingColor } from "../../../lib/anomalies";
import type { CycleLike } from "../../../lib/anomalies";
import { useCycleText } from "./text";

export function CycleText({ cycle }: { cycle: CycleLike | null | undefined }) {
  return <>{useCycleText()(cycle)}</>;
}

/** The processing status of a miss (B-6): 未处理, 已联系 … */
export function ProcessingTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={processingColor(status)} data-testid="processing-tag">
    {t(`anomalies.processing.${status}`, status)}</Tag>;
}

/** Normal (正常) or abnormal (异常), A-4. */
export function StandingTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={status === "abnormal" ? "error" : "success"} data-testid="standing-tag">
    {t(`anomalies.standing.${status}`, status)}</Tag>;
}
