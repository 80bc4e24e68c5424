import { quantity as quantityCheck } from "./validators";

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

