import { api, unwrapList } from "../api/client";
import type { Schemas } from "../api/client";
import { formatDateTime } from "./dates";

export type OrderSummary = Schemas["OrderSummary"];

/** All my orders (a customer has few; up to 1000), newest first. */
export async function allMyOrders(): Promise<{ items: OrderSummary[]; total: number }> {
  const items: OrderSummary[] = [];
  let total = 0;
  for (let offset = 0; offset < 1000; offset += 200) {
    const page = await unwrapList(api.GET("/api/portal/orders", { params: { query: { limit: 200, offset } } }));
    items.push(...page.items);
    total = page.total;
    if (items.length >= total || page.items.length === 0) break;
  }
  return { items, total };
}

/** The statuses an order can have, in lifecycle order (for filters). */
export const ORDER_STATUSES = [
  "submitted", "pending_second_review", "approved", "rejected", "cancellation_requested",
  "cancelled", "processing", "partially_shipped", "shipped", "received", "completed",
] as const;

/** A moment as "YYYY-MM-DD HH:mm" in the business time zone ("—" when there is none). */
export function when(v: string | null | undefined): string {
  return formatDateTime(v);
}
