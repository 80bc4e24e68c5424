/**
 * The one way dates and times reach a person (issue 15): moments (UTC instants from the
 * API) are shown in the business time zone, Asia/Shanghai, as "YYYY-MM-DD HH:mm";
 * business dates ("2026-12-01", already Shanghai dates) as they are. "—" when empty.
 */
import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);
dayjs.extend(timezone);

export const BUSINESS_TZ = "Asia/Shanghai";
const EMPTY = "—";

/** An instant as "YYYY-MM-DD HH:mm" in Asia/Shanghai. */
export function formatDateTime(v: string | Date | null | undefined, seconds = false): string {
  if (!v) return EMPTY;
  const d = dayjs(v);
  if (!d.isValid()) return EMPTY;
  return d.tz(BUSINESS_TZ).format(seconds ? "YYYY-MM-DD HH:mm:ss" : "YYYY-MM-DD HH:mm");
}

/** A business date ("YYYY-MM-DD"), or the Shanghai date of an instant. */
export function formatDate(v: string | Date | null | undefined): string {
  if (!v) return EMPTY;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = dayjs(v);
  if (!d.isValid()) return EMPTY;
  return d.tz(BUSINESS_TZ).format("YYYY-MM-DD");
}

/** A month ("YYYY-MM"). */
export function formatMonth(v: string | null | undefined): string {
  if (!v) return EMPTY;
  return v.slice(0, 7);
}
