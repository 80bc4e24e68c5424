/**
 * Monthly statements (对账单, B-1), pure: which month a page shows (from its URL, else
 * last month in Asia/Shanghai), which months can be picked (2000-01 to this month), how a
 * balance reads (owed / in the customer's favour / settled) and where the Excel file is.
 * The server decides in the end (422 for a month it does not take).
 */
import { businessToday } from "./validators";
import { toCents } from "./money";

export const FIRST_MONTH = "2000-01";
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2026-12-01" → "2026-12". */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The month before `month` ("2027-01" → "2026-12"). */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The statement shown without a month: last month's, the latest that has ended. */
export function lastMonth(today: string = businessToday()): string {
  return previousMonth(monthOf(today));
}

/** A month the server takes: YYYY-MM from 2000-01 to this month (Asia/Shanghai). */
export function isStatementMonth(value: string | null | undefined, today: string = businessToday()): boolean {
  return !!value && MONTH.test(value) && value >= FIRST_MONTH && value <= monthOf(today);
}

/** The month a page shows: `?month=` when it is one, else last month. */
export function monthFromSearch(search: URLSearchParams, today: string = businessToday()): string {
  const asked = search.get("month");
  return asked && isStatementMonth(asked, today) ? asked : lastMonth(today);
}

/** A month's statement can be acknowledged once the month is over. */
export function monthEnded(month: string, today: string = businessToday()): boolean {
  return month < monthOf(today);
}

/** What a balance means for the customer: it owes, it has a credit, or nothing is open. */
export function balanceKind(value: string): "owed" | "credit" | "settled" {
  const cents = toCents(value);
  return cents > 0n ? "owed" : cents < 0n ? "credit" : "settled";
}

/** The Excel file of a month's statement: the customer's own, or (staff) a customer's. */
export function statementExportUrl(month: string, lang: string, customerId?: string): string {
  const l = lang.startsWith("zh") ? "zh" : "en";
  return customerId
    ? `/api/console/customers/${encodeURIComponent(customerId)}/statements/${month}/export?lang=${l}`
    : `/api/portal/statements/${month}/export?lang=${l}`;
}

/** The colour of a statement's status tag. */
export function statementStatusColor(status: string): string {
  return status === "confirmed" ? "success" : status === "disputed" ? "error" : "default";
}
