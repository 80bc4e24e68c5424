/**
 * The order query: the form's conditions as the API's query parameters, the
 * table's sort as the API's (server-side), an ordering cycle for people, and the name of
 * a downloaded export. The server checks every rule and computes every amount and total;
 * these helpers only say what the page asks for and shows.
 */
import type { ORDER_STATUSES } from "./orders";

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const GRADES = ["normal", "small", "large"] as const;
export type Grade = (typeof GRADES)[number];
export const PAYMENT_STATES = ["paid", "unpaid", "overdue"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
/** The methods payments are recorded with: by staff (bank_transfer, cash, wechat,
 *  alipay) and online (wechat_pay; alipay too). */
export const PAYMENT_METHODS = ["bank_transfer", "cash", "wechat", "alipay", "wechat_pay"] as const;
export const SORT_KEYS = ["amount", "machines", "cycle", "date"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Direction = "asc" | "desc";

export interface Sort { sort: SortKey; order: Direction }
/** Newest first, as the API's default. */
export const DEFAULT_SORT: Sort = { sort: "date", order: "desc" };

export interface QueryParams {
  customer_id?: string[];
  q?: string;
  area?: string[];
  grade?: Grade[];
  payment_method?: string[];
  payment?: PaymentState;
  status?: OrderStatus[];
  from?: string;
  to?: string;
  amount_min?: string;
  amount_max?: string;
  model?: string;
}

/** What the form holds: dates already as "YYYY-MM-DD" (the page formats its pickers). */
export interface Conditions extends Omit<QueryParams, "amount_min" | "amount_max"> {
  amount_min?: string | null;
  amount_max?: string | null;
}

const list = <T extends string>(values: readonly T[] | undefined): T[] | undefined => {
  const kept = [...new Set((values ?? []).map((v) => v.trim() as T).filter(Boolean))];
  return kept.length ? kept : undefined;
};
const text = (value: string | null | undefined) => value?.trim() || undefined;

/** The conditions as the API's parameters: blanks and empty lists left out (no
 *  condition), repeated values once, text trimmed. */
export function toParams(c: Conditions): QueryParams {
  const out: QueryParams = {
    customer_id: list(c.customer_id), q: text(c.q), area: list(c.area), grade: list(c.grade),
    payment_method: list(c.payment_method), payment: c.payment || undefined,
    status: list(c.status), from: text(c.from), to: text(c.to),
    amount_min: text(c.amount_min), amount_max: text(c.amount_max), model: text(c.model),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as QueryParams;
}

/** How many conditions are set (for the export's "all orders?" question). */
export function countConditions(p: QueryParams): number {
  return Object.keys(p).length;
}

/** Ant Design's sort order of a column, from the API's sort. */
export function columnSortOrder(s: Sort, key: SortKey): "ascend" | "descend" | null {
  if (s.sort !== key) return null;
  return s.order === "asc" ? "ascend" : "descend";
}

/** The API's sort from a click on a column (Ant Design's columnKey and order); a third
 *  click (no order) goes back to the default. */
export function sortFromTable(columnKey: unknown, order: "ascend" | "descend" | null | undefined): Sort {
  if (!order || !SORT_KEYS.includes(columnKey as SortKey)) return DEFAULT_SORT;
  return { sort: columnKey as SortKey, order: order === "ascend" ? "asc" : "desc" };
}

/** An ordering cycle for people: the i18n key and its values, or null without one. */
export function cycleLabel(kind: string | null | undefined, days: number | null | undefined,
    weekday: number | null | undefined): { key: string; values: Record<string, string | number> } | null {
  if (kind === "days" && days) return { key: "orderQuery.cycle.days", values: { n: days } };
  if (kind === "weekday" && weekday && weekday >= 1 && weekday <= 7) {
    return { key: "orderQuery.cycle.weekday", values: { day: weekday } };
  }
  return null;
}

/** The file name of a download from its Content-Disposition (RFC 6266: filename* first),
 *  or `fallback`. */
export function downloadName(disposition: string | null | undefined, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;\s]+)/.exec(disposition);
  return plain?.[1] ?? plain?.[2] ?? fallback;
}
