import { useTranslation } from "react-i18next";
import type { Schemas } from "../../../api/client";
import { cycleWords } from "../../../lib/anomalies";
import type { CycleLike } from "../../../lib/anomalies";

type Standing = Schemas["CustomerStatusOut"];

/** A cycle in words: 每 7 天, 每周五 (C-6). */
export function useCycleText() {
  const { t } = useTranslation();
  return (cycle: CycleLike | null | undefined) => {
    const [key, values] = cycleWords(cycle);
    return t(key, "day" in values ? { ...values, day: t(`weekday.${String(values.day)}`) } : values);
  };
}

/** Why the customer is normal or abnormal, in the user's language. */
export function useReasonText() {
  const { t } = useTranslation();
  const cycleText = useCycleText();
  return (s: Standing, cycle: CycleLike | null | undefined) => t(`anomalies.reason.${s.reason_code}`, {
    cycle: cycleText(cycle),
    last: s.last_order_date ? t("anomalies.reason.lastOrder", { date: s.last_order_date }) : t("anomalies.reason.noOrder"),
    expected: s.expected_date ?? "—",
    days: s.days_overdue,
  });
}
