import { describe, expect, it } from "vitest";
import { formatCents, formatYuan, lineTotal, orderTotals, toCents, yuan } from "./money";

describe("money in integer cents (O-3 totals)", () => {
  it("parses the API's strings exactly", () => {
    expect(toCents("801.50")).toBe(80150n);
    expect(toCents("0.1")).toBe(10n);
    expect(toCents("7")).toBe(700n);
    expect(toCents("-2.05")).toBe(-205n);
    expect(() => toCents("1.234")).toThrow();
    expect(() => toCents("abc")).toThrow();
  });

  it("formats for the wire and for people", () => {
    expect(formatCents(80150n)).toBe("801.50");
    expect(formatCents(5n)).toBe("0.05");
    expect(formatYuan(123456789n)).toBe("¥1,234,567.89");
    expect(formatYuan(-150n)).toBe("-¥1.50");
    expect(yuan("198.00")).toBe("¥198.00");
    expect(yuan(null)).toBe("");
  });

  it("never drifts like floating point", () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004
    const t = orderTotals([
      { unit_price: "0.10", list_price: "0.10", quantity: 1 },
      { unit_price: "0.20", list_price: "0.20", quantity: 1 },
    ]);
    expect(formatCents(t.total)).toBe("0.30");
    expect(lineTotal("160.30", 3)).toBe(48090n);
    expect(formatCents(lineTotal("19.99", 1_000_000))).toBe("19990000.00");
  });

  it("adds list (original) and own (discounted) totals and the saving", () => {
    const t = orderTotals([
      { unit_price: "160.30", list_price: "198.00", quantity: 5 },
      { unit_price: "45.50", list_price: "58.00", quantity: 2 },
      { unit_price: "10.00", list_price: null, quantity: 1 },
      { unit_price: "99.00", list_price: "120.00", quantity: 0 },
    ]);
    expect(formatCents(t.total)).toBe("902.50");
    expect(formatCents(t.listTotal)).toBe("1116.00");
    expect(formatCents(t.saving)).toBe("213.50");
    expect(t.lines).toBe(3);
    expect(t.quantity).toBe(8);
  });

  it("ignores quantities that are not positive whole numbers", () => {
    const t = orderTotals([{ unit_price: "1.00", list_price: "1.00", quantity: 1.5 },
      { unit_price: "1.00", list_price: "1.00", quantity: -2 }]);
    expect(t.total).toBe(0n);
    expect(t.lines).toBe(0);
  });
});
