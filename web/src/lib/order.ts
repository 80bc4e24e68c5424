import { quantity as quantityCheck } from "./validators";
import { toCents } from "./money";

/** Which lines to send, or the i18n key of what is wrong with the quantities. */
export function orderLines(items: { product_id: string }[], quantities: Record<string, number | null>):
    { lines: { product_id: string; quantity: number }[]; problem: string | null } {
  const lines: { product_id: string; quantity: number }[] = [];
  for (const item of items) {
    const q = quantities[item.product_id];
    if (q === null || q === undefined || q === 0) continue;
    const problem = quantityCheck(q);
    if (problem) return { lines: [], problem };
    lines.push({ product_id: item.product_id, quantity: q });
  }
  return { lines, problem: lines.length ? null : "order.noLines" };
}


/** A line of an earlier order, as reorder reads it. */
export interface PastLine {
  product_id: string; name: string | null; model: string | null; quantity: number;
  /** The price it was ordered at (none for a favourite order's line). */
  unit_price?: string | null;
}
/** A product of the catalogue the customer sees today. */
export interface TodayItem { product_id: string; unit_price: string }

/** Why a line of the earlier order is not in the new one: the product is not in today's
 * catalogue (discontinued, made unavailable or no longer offered to the customer). */
export type SkipReason = "not_orderable";
export interface SkippedReorderLine { product_id: string; name: string; model: string; quantity: number; reason: SkipReason }
/** A line kept whose price today differs from the earlier order's. */
export interface Repriced { product_id: string; name: string; model: string; was: string; now: string }

export interface ReorderDraft {
  quantities: Record<string, number>;
  skipped: SkippedReorderLine[];
  repriced: Repriced[];
}

/** 再来一单 (issue 15, O-11): the new-order form filled in from an earlier order's lines at
 * today's prices. Lines whose product is not orderable today are skipped and reported, never
 * dropped silently; a product on several lines is ordered once with their quantities added. */
export function reorderDraft(lines: PastLine[], catalog: TodayItem[]): ReorderDraft {
  const today = new Map(catalog.map((i) => [i.product_id, i]));
  const quantities: Record<string, number> = {};
  const skipped = new Map<string, SkippedReorderLine>();
  const repriced = new Map<string, Repriced>();
  for (const l of lines) {
    if (l.quantity <= 0) continue;
    const item = today.get(l.product_id);
    if (!item) {
      const s = skipped.get(l.product_id);
      if (s) s.quantity += l.quantity;
      else skipped.set(l.product_id, { product_id: l.product_id, name: l.name ?? "—", model: l.model ?? "",
        quantity: l.quantity, reason: "not_orderable" });
      continue;
    }
    quantities[l.product_id] = (quantities[l.product_id] ?? 0) + l.quantity;
    if (l.unit_price && toCents(item.unit_price) !== toCents(l.unit_price) && !repriced.has(l.product_id)) {
      repriced.set(l.product_id, { product_id: l.product_id, name: l.name ?? "—", model: l.model ?? "",
        was: l.unit_price, now: item.unit_price });
    }
  }
  return { quantities, skipped: [...skipped.values()], repriced: [...repriced.values()] };
}

/** The delivery date a reorder proposes: the earlier order's lead time counted from today
 * (never before today). Dates are "YYYY-MM-DD" business dates. */
export function reorderDeliveryDate(orderDate: string, deliveryDate: string, today: string): string {
  const day = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  const lead = Math.max(0, Math.round((day(deliveryDate) - day(orderDate)) / 86_400_000));
  return new Date(day(today) + lead * 86_400_000).toISOString().slice(0, 10);
}
