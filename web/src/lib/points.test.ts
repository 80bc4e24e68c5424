import { describe, expect, it } from "vitest";
import { clampPoints, maxUsablePoints, orderPayable, orderPoints, payableCents, paysWithPoints,
  redeemableCents } from "./points";

describe("what points may pay for (P-2)", () => {
  it("counts consumable and accessory lines, never machines or services", () => {
    expect(redeemableCents([
      { category: "consumable", unit_price: "160.30", quantity: 2 },
      { category: "accessory", unit_price: "45.50", quantity: 1 },
      { category: "machine", unit_price: "30000.00", quantity: 1 },
      { category: "service", unit_price: "800.00", quantity: 1 },
      { category: "consumable", unit_price: "10.00", quantity: null },
    ])).toBe(36610n);
  });

  it("is nothing without lines", () => {
    expect(redeemableCents([])).toBe(0n);
  });
});

describe("the most points an order may use (P-2)", () => {
  it("is nothing while redemption is closed", () => {
    expect(maxUsablePoints({ remaining: 500, can_redeem: false }, 100_000n)).toBe(0);
    expect(maxUsablePoints(undefined, 100_000n)).toBe(0);
  });

  it("is the remaining points when the order is worth more", () => {
    expect(maxUsablePoints({ remaining: 150, can_redeem: true }, 89_250n)).toBe(150);
  });

  it("is the whole yuan of the redeemable lines when they are worth less", () => {
    expect(maxUsablePoints({ remaining: 500, can_redeem: true }, 36_610n)).toBe(366);
    expect(maxUsablePoints({ remaining: 500, can_redeem: true }, 99n)).toBe(0);
  });

  it("is never negative", () => {
    expect(maxUsablePoints({ remaining: -5, can_redeem: true }, 10_000n)).toBe(0);
    expect(maxUsablePoints({ remaining: 5, can_redeem: true }, -100n)).toBe(0);
  });
});

describe("the points typed in", () => {
  it("stay whole and within 0..max", () => {
    expect(clampPoints(null, 100)).toBe(0);
    expect(clampPoints(-3, 100)).toBe(0);
    expect(clampPoints(40.7, 100)).toBe(40);
    expect(clampPoints(300, 100)).toBe(100);
    expect(clampPoints(30, 0)).toBe(0);
  });
});

describe("what is payable after points (1 point = 1 yuan)", () => {
  it("takes a yuan per point off the total", () => {
    expect(payableCents(89_250n, 150)).toBe(74_250n);
    expect(payableCents(89_250n, 0)).toBe(89_250n);
  });

  it("never goes below zero", () => {
    expect(payableCents(5_000n, 80)).toBe(0n);
  });
});

describe("an order's points", () => {
  const base = { total: "892.50", points_requested: 150, points_used: 0, payable: "892.50", points_reason: null };

  it("are none when the order asked for none, or predates points", () => {
    expect(orderPoints({ ...base, points_requested: 0, points_status: "none" })).toBeNull();
    expect(orderPoints({ total: "892.50" })).toBeNull();
  });

  it("show the points asked for while the points service confirms", () => {
    expect(orderPoints({ ...base, points_status: "requested" }))
      .toEqual({ points: 150, applied: false, status: "requested", reason: null });
  });

  it("show the points used once reserved or redeemed", () => {
    const reserved = { ...base, points_used: 150, payable: "742.50", points_status: "reserved" };
    expect(orderPoints(reserved)).toEqual({ points: 150, applied: true, status: "reserved", reason: null });
    expect(orderPoints({ ...reserved, points_status: "redeemed" })?.applied).toBe(true);
    expect(orderPayable(reserved)).toBe("742.50");
    expect(paysWithPoints(reserved)).toBe(true);
  });

  it("carry the reason they were refused or released", () => {
    expect(orderPoints({ ...base, points_status: "refused", points_reason: "threshold" }))
      .toEqual({ points: 150, applied: false, status: "refused", reason: "threshold" });
    expect(orderPoints({ ...base, points_status: "released", points_reason: "something-new" })?.reason).toBeNull();
    expect(paysWithPoints({ ...base, points_status: "refused" })).toBe(false);
  });

  it("leave the total payable when the view has no payable", () => {
    expect(orderPayable({ total: "10.00" })).toBe("10.00");
  });
});
