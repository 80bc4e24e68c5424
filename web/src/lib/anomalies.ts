/**
 * Anomaly analysis of ordering cycles (A-3, A-4, B-6): table 1's filters as the address
 * and the API take them, its sorts, the tags' colours and the cycle in words. The server
 * decides who is past its cycle, by how many days, and every rule; these helpers only
 * say what the page asks for and shows.
 */

export const FOLLOW_UP_STATUSES = ["contacted", "will_order", "lost", "resolved"] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
/** Table 1's processing status: "open" (未处理) until someone records a follow-up. */
export const PROCESSING_STATUSES = ["open", ...FOLLOW_UP_STATUSES] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export const SORTS = ["-days_overdue", "days_overdue", "-last_order_date", "last_order_date",
  "expected_date", "-expected_date", "name", "-name"] as const;
export type AnomalySort = (typeof SORTS)[number];
export const DEFAULT_SORT: AnomalySort = "-days_overdue";

/** A follow-up's note: at most this many characters (the API refuses more). */
export const NOTE_MAX = 1000;
/** The months of consumables the customer page shows (近一年). */
export const CONSUMABLE_MONTHS = 12;

export interface AnomalyFilters {
  area?: string;
  status?: ProcessingStatus;
  minDays?: number;
  q?: string;
  sort: AnomalySort;
}

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === "string" && (list as readonly string[]).includes(v);

/** The filters in the page's address (shareable, kept on "back"); nonsense is dropped. */
export function filtersFromSearch(search: URLSearchParams): AnomalyFilters {
  const text = (key: string) => search.get(key)?.trim() || undefined;
  const status = search.get("status");
  const sort = search.get("sort");
  const min = Number(search.get("min_days"));
  return {
    area: text("area"),
    status: isOneOf(PROCESSING_STATUSES, status) ? status : undefined,
    minDays: search.get("min_days") && Number.isInteger(min) && min >= 1 && min <= 100_000 ? min : undefined,
    q: text("q"),
    sort: isOneOf(SORTS, sort) ? sort : DEFAULT_SORT,
  };
}

/** The filters as the page's address; the default sort is left out. */
export function filtersToSearch(f: AnomalyFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (f.area?.trim()) out.set("area", f.area.trim());
  if (f.status) out.set("status", f.status);
  if (f.minDays) out.set("min_days", String(f.minDays));
  if (f.q?.trim()) out.set("q", f.q.trim());
  if (f.sort !== DEFAULT_SORT) out.set("sort", f.sort);
  return out;
}

/** The query of GET /api/console/analysis/anomalies for a page of table 1. */
export function anomalyQuery(f: AnomalyFilters, page: number, pageSize: number) {
  return {
    area: f.area?.trim() || undefined,
    status: f.status,
    min_days: f.minDays,
    q: f.q?.trim() || undefined,
    sort: f.sort,
    limit: pageSize,
    offset: Math.max(0, page - 1) * pageSize,
  };
}

/** A table column's sort (antd's "ascend"/"descend") as the API's; none: the default. */
export function sortFromTable(field: string | undefined, order: "ascend" | "descend" | null | undefined): AnomalySort {
  if (!field || !order) return DEFAULT_SORT;
  const sort = `${order === "descend" ? "-" : ""}${field}`;
  return isOneOf(SORTS, sort) ? sort : DEFAULT_SORT;
}

/** Which column the API's sort is on, and which way, for the table's headers. */
export function tableSortOrder(sort: AnomalySort, field: string): "ascend" | "descend" | null {
  if (sort.replace(/^-/, "") !== field) return null;
  return sort.startsWith("-") ? "descend" : "ascend";
}

const PROCESSING_COLORS: Record<ProcessingStatus, string> = {
  open: "red", contacted: "processing", will_order: "gold", lost: "default", resolved: "success",
};

export function processingColor(status: string): string {
  return isOneOf(PROCESSING_STATUSES, status) ? PROCESSING_COLORS[status] : "default";
}

/** How alarming a number of days overdue looks: a week is a nudge, a month is red. */
export function overdueColor(days: number): "red" | "orange" | "gold" {
  if (days >= 30) return "red";
  if (days >= 7) return "orange";
  return "gold";
}

export interface CycleLike {
  kind: "days" | "weekday";
  days?: number | null;
  weekday?: number | null;
}

/** The i18n key and values of a cycle in words ("每 7 天", "每周五"). */
export function cycleWords(cycle: CycleLike | null | undefined): [key: string, values: Record<string, unknown>] {
  if (!cycle) return ["anomalies.cycle.none", {}];
  if (cycle.kind === "days") return ["anomalies.cycle.days", { n: cycle.days ?? "?" }];
  return ["anomalies.cycle.weekday", { day: cycle.weekday ?? "?" }];
}
