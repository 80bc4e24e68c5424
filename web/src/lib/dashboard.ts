/**
 * The console home's charts: the periods the picker offers, month labels, and the
 * API's figures as chart series. The server computes every figure and hides amounts
 * until the query password is entered; these helpers only shape what it sent.
 */
import type { Period } from "./analysis";

export const DASHBOARD_RANGES = ["thisMonth", "last3Months", "last12Months", "thisYear"] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

/** What the dashboard shows first: the API's default period too. */
export const DEFAULT_RANGE: DashboardRange = "last12Months";

const pad = (n: number) => String(n).padStart(2, "0");

function parseDay(day: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a day: ${JSON.stringify(day)}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The first day of the month `back` months before `day`'s ("YYYY-MM-DD"). */
export function monthStart(day: string, back = 0): string {
  const [y, m] = parseDay(day);
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/** The period of a preset, up to `today`: this month, the last 3 or 12 months (whole
 *  months, this one included) or this year. */
export function dashboardRange(range: DashboardRange, today: string): Period {
  const [y] = parseDay(today);
  switch (range) {
    case "thisMonth": return [monthStart(today), today];
    case "last3Months": return [monthStart(today, 2), today];
    case "last12Months": return [monthStart(today, 11), today];
    case "thisYear": return [`${y}-01-01`, today];
  }
}

/** A month ("2026-03") as its parts, for the labels ("3月" / "2026年3月"). */
export function monthParts(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a month: ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** A month ("2026-03") for people in `lang`: "3月" / "Mar", or with the year ("2026年3月" /
 *  "March 2026"). */
export function monthLabel(month: string, lang: string, withYear: boolean): string {
  const { year, month: m } = monthParts(month);
  const format = new Intl.DateTimeFormat(lang, withYear
    ? { year: "numeric", month: "long", timeZone: "UTC" } : { month: "short", timeZone: "UTC" });
  return format.format(new Date(Date.UTC(year, m - 1, 1)));
}

/** Whether the months run over more than one year (then the labels say the year). */
export function spansYears(months: readonly string[]): boolean {
  return new Set(months.map((m) => m.slice(0, 4))).size > 1;
}

/** An API amount ("1234.50") as a chart's number; null (locked, or none) stays a gap. */
export function chartAmount(amount: string | null | undefined): number | null {
  if (amount == null) return null;
  const n = Number(amount);
  return Number.isFinite(n) ? n : null;
}

/** A day ("2026-12-07") as an axis label ("12-07"; with the year when the days run over
 *  more than one year). */
export function dayLabel(day: string, withYear: boolean): string {
  return withYear ? day : day.slice(5);
}

/** Rows for a horizontal bar chart: the first (largest) drawn at the top, so last. */
export function topFirst<T>(rows: readonly T[]): T[] {
  return [...rows].reverse();
}
