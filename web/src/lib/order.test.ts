import { describe, expect, it } from "vitest";
import { orderLines, reorderDeliveryDate, reorderDraft } from "./order";

const line = (product_id: string, quantity: number, unit_price = "10.00") =>
  ({ product_id, name: `N-${product_id}`, model: `M-${product_id}`, quantity, unit_price });

describe("reorderDraft (issue 15: reorder opens the new-order page pre-filled)", () => {
  it("keeps the lines still in today's catalogue with their quantities", () => {
    const d = reorderDraft([line("a", 4), line("b", 2)], [{ product_id: "a", unit_price: "10.00" },
      { product_id: "b", unit_price: "10.00" }]);
    expect(d.quantities).toEqual({ a: 4, b: 2 });
    expect(d.skipped).toEqual([]);
    expect(d.repriced).toEqual([]);
  });

  it("skips and explains a line whose product cannot be ordered today", () => {
    const d = reorderDraft([line("a", 4), line("gone", 3)], [{ product_id: "a", unit_price: "10.00" }]);
    expect(d.quantities).toEqual({ a: 4 });
    expect(d.skipped).toEqual([{ product_id: "gone", name: "N-gone", model: "M-gone", quantity: 3,
      reason: "not_orderable" }]);
  });

  it("reports a price that changed since (the new order is at today's price)", () => {
    const d = reorderDraft([line("a", 1, "10.00")], [{ product_id: "a", unit_price: "9.50" }]);
    expect(d.repriced).toEqual([{ product_id: "a", name: "N-a", model: "M-a", was: "10.00", now: "9.50" }]);
    expect(reorderDraft([line("a", 1, "10.00")], [{ product_id: "a", unit_price: "10" }]).repriced).toEqual([]);
  });

  it("adds up a product on several lines and ignores empty lines", () => {
    const d = reorderDraft([line("a", 1), line("a", 2), line("b", 0), line("x", 1), line("x", 1)],
      [{ product_id: "a", unit_price: "10.00" }, { product_id: "b", unit_price: "10.00" }]);
    expect(d.quantities).toEqual({ a: 3 });
    expect(d.skipped.map((s) => [s.product_id, s.quantity])).toEqual([["x", 2]]);
  });

  it("gives lines the submit accepts", () => {
    const d = reorderDraft([line("a", 4)], [{ product_id: "a", unit_price: "10.00" }]);
    expect(orderLines([{ product_id: "a" }], d.quantities)).toEqual({
      lines: [{ product_id: "a", quantity: 4 }], problem: null });
  });
});

describe("reorderDeliveryDate", () => {
  it("keeps the earlier order's lead time from today", () => {
    expect(reorderDeliveryDate("2026-11-01", "2026-11-06", "2026-12-30")).toBe("2027-01-04");
  });
  it("is never before today", () => {
    expect(reorderDeliveryDate("2026-11-06", "2026-11-01", "2026-12-02")).toBe("2026-12-02");
    expect(reorderDeliveryDate("2026-11-06", "2026-11-06", "2026-12-02")).toBe("2026-12-02");
  });
});

describe("reorderDraft from a favourite order (its lines carry no old price)", () => {
  it("reports no price change and names an unnamed skipped line", () => {
    const d = reorderDraft([{ product_id: "a", name: "A", model: "M", quantity: 2, unit_price: null },
      { product_id: "z", name: null, model: null, quantity: 1 }], [{ product_id: "a", unit_price: "3.00" }]);
    expect(d.quantities).toEqual({ a: 2 });
    expect(d.repriced).toEqual([]);
    expect(d.skipped).toEqual([{ product_id: "z", name: "—", model: "", quantity: 1, reason: "not_orderable" }]);
  });
});
