/**
 * Summaries behind the query password: the period's quick ranges, the share
 * as people read it, and telling "locked" and "wrong query password" apart from other
 * refusals. The server computes every amount and share and checks every rule; these
 * helpers only say what the page asks for and shows.
 */
import { ApiError } from "../api/client";
import { toCents } from "./money";

/** A period as the API takes it: ISO days, both inclusive. */
export type Period = readonly [from: string, to: string];

export const QUICK_RANGES = ["thisMonth", "lastMonth", "thisYear"] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The quick range ending `today` ("YYYY-MM-DD"): this month and this year run up to
 *  today (as the API's default), last month is the whole calendar month. */
export function quickRange(range: QuickRange, today: string): Period {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) throw new Error(`not a day: ${JSON.stringify(today)}`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (range === "thisMonth") return [iso(y, mo, 1), today];
  if (range === "thisYear") return [iso(y, 1, 1), today];
  const [ly, lm] = mo === 1 ? [y - 1, 12] : [y, mo - 1];
  const lastDay = new Date(Date.UTC(ly, lm, 0)).getUTCDate();
  return [iso(ly, lm, 1), iso(ly, lm, lastDay)];
}

/** The API's share ("12.3", per cent) for people: "12.3%". */
export function formatShare(share: string | number): string {
  const n = Number(share);
  return Number.isFinite(n) ? `${n.toFixed(1)}%` : "—";
}

/** The share as a bar's percentage, 0..100. */
export function sharePercent(share: string | number): number {
  const n = Number(share);
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : 0;
}

/** A refusal because the query password is not unlocked (403 SensitiveLocked). */
export function isSensitiveLocked(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403 && err.body.error === "SensitiveLocked";
}

/** A secret typed into a form was wrong (401 from unlock/set): not a lost session. */
export function isWrongSecret(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** The caller has no query password yet (409 from unlock-sensitive). */
export function needsQueryPassword(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && /no query password/i.test(err.body.detail ?? "");
}

/** "HH:mm" of an unlock's end, in the browser's time; "" when there is none. */
export function unlockedUntil(sensitiveUntil: string | null | undefined): string {
  if (!sensitiveUntil) return "";
  const d = new Date(sensitiveUntil);
  return Number.isNaN(d.getTime()) ? "" : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whether an unlock still holds at `now`. */
export function isUnlocked(sensitiveUntil: string | null | undefined, now: Date = new Date()): boolean {
  if (!sensitiveUntil) return false;
  const d = new Date(sensitiveUntil);
  return !Number.isNaN(d.getTime()) && d.getTime() > now.getTime();
}

/** Order two API amounts ("801.50") by value, for a table's sorter. */
export function compareAmounts(a: string, b: string): number {
  const d = toCents(a) - toCents(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** The `n` largest rows by amount (the API sends them largest first; sorted again so a
 *  caller's order does not matter), for the chart. */
export function topByAmount<T extends { amount: string }>(rows: readonly T[], n = 10): T[] {
  return [...rows].sort((a, b) => compareAmounts(b.amount, a.amount)).slice(0, n);
}
