/**
 * Paying part of an order with points (P-2): 1 point = 1 yuan, only once redemption is
 * open (cumulative effective points reached the threshold), at most the remaining points
 * and at most the whole yuan of the order's consumable and accessory lines (machines and
 * services cannot be paid with points). The server decides in the end; these helpers
 * drive what the order form offers and how an order shows its points.
 */
import { lineTotal, toCents } from "./money";

/** Product categories whose lines points may pay for. */
export const REDEEMABLE_CATEGORIES: readonly string[] = ["consumable", "accessory"];

export const POINTS_STATUSES = ["none", "requested", "reserved", "redeemed", "refused", "released"] as const;
export type PointsStatus = (typeof POINTS_STATUSES)[number];

export const POINTS_REASONS = [
  "insufficient", "threshold", "redeemable", "timeout", "not_confirmed", "cancelled", "rejected", "order_paid",
] as const;
export type PointsReason = (typeof POINTS_REASONS)[number];

/** The points fields of an order (portal and console views). Optional so that a view
 * from before points redemption still reads as "no points". */
export interface OrderPoints {
  total: string;
  points_requested?: number;
  points_used?: number;
  points_status?: string;
  points_reason?: string | null;
  payable?: string;
}

export interface CategorizedLine {
  category: string;
  unit_price: string;
  quantity: number | null | undefined;
}

/** What points may pay for in these lines, in cents: their consumable and accessory lines. */
export function redeemableCents(lines: CategorizedLine[]): bigint {
  let cents = 0n;
  for (const line of lines) {
    if (!REDEEMABLE_CATEGORIES.includes(line.category)) continue;
    cents += lineTotal(line.unit_price, line.quantity ?? 0);
  }
  return cents;
}

/** The most points this order may use: nothing while redemption is closed, otherwise
 * min(remaining, floor(redeemable yuan)). */
export function maxUsablePoints(summary: { remaining: number; can_redeem: boolean } | undefined,
  redeemable: bigint): number {
  if (!summary?.can_redeem) return 0;
  const remaining = Number.isFinite(summary.remaining) ? Math.max(0, Math.floor(summary.remaining)) : 0;
  const byValue = redeemable > 0n ? redeemable / 100n : 0n;
  return byValue < BigInt(remaining) ? Number(byValue) : remaining;
}

/** The points the customer typed, kept within 0..max as a whole number. */
export function clampPoints(value: number | null | undefined, max: number): number {
  if (value == null || !Number.isFinite(value) || value <= 0 || max <= 0) return 0;
  return Math.min(Math.floor(value), max);
}

/** total − points (1 point = 1 yuan), never below zero; in cents. */
export function payableCents(total: bigint, points: number): bigint {
  const left = total - BigInt(Math.max(0, Math.floor(points))) * 100n;
  return left > 0n ? left : 0n;
}

/** How an order shows its points, or null when it asked for none: the points (those
 * used once reserved or redeemed, those asked for otherwise), whether they reduce what is
 * payable, and the status and reason to label them with. */
export function orderPoints(o: OrderPoints): {
  points: number; applied: boolean; status: PointsStatus; reason: PointsReason | null;
} | null {
  const status = (POINTS_STATUSES as readonly string[]).includes(o.points_status ?? "")
    ? o.points_status as PointsStatus : "none";
  if (status === "none") return null;
  const applied = status === "reserved" || status === "redeemed";
  const points = applied ? (o.points_used ?? 0) : (o.points_requested ?? 0);
  const reason = (POINTS_REASONS as readonly string[]).includes(o.points_reason ?? "")
    ? o.points_reason as PointsReason : null;
  return { points, applied, status, reason };
}

/** What the order still costs after points: the server's `payable`, else its total. */
export function orderPayable(o: OrderPoints): string {
  return o.payable ?? o.total;
}

/** Whether the order's payable differs from its total (points were used). */
export function paysWithPoints(o: OrderPoints): boolean {
  return (o.points_used ?? 0) > 0 && o.payable != null && toCents(o.payable) !== toCents(o.total);
}

/** The tag colour of a points status (orders and redemption records). */
export const POINTS_STATUS_COLORS: Record<string, string> = {
  requested: "processing", reserved: "purple", redeemed: "green", refused: "red", released: "default",
};
