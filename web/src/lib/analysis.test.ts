import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { compareAmounts, formatShare, isSensitiveLocked, isUnlocked, isWrongSecret, needsQueryPassword,
  quickRange, sharePercent, topByAmount, unlockedUntil } from "./analysis";

describe("the period's quick ranges (A-2)", () => {
  it("runs this month and this year up to today", () => {
    expect(quickRange("thisMonth", "2026-12-05")).toEqual(["2026-12-01", "2026-12-05"]);
    expect(quickRange("thisYear", "2026-12-05")).toEqual(["2026-01-01", "2026-12-05"]);
  });

  it("takes the whole of last month, across a year and in a leap February", () => {
    expect(quickRange("lastMonth", "2026-12-05")).toEqual(["2026-11-01", "2026-11-30"]);
    expect(quickRange("lastMonth", "2027-01-31")).toEqual(["2026-12-01", "2026-12-31"]);
    expect(quickRange("lastMonth", "2028-03-01")).toEqual(["2028-02-01", "2028-02-29"]);
    expect(quickRange("lastMonth", "2026-03-15")).toEqual(["2026-02-01", "2026-02-28"]);
  });

  it("refuses what is not a day", () => {
    expect(() => quickRange("thisMonth", "12/05/2026")).toThrow();
  });
});

describe("the share", () => {
  it("shows the API's per cent with one decimal", () => {
    expect(formatShare("12.3")).toBe("12.3%");
    expect(formatShare("100")).toBe("100.0%");
    expect(formatShare("0.0")).toBe("0.0%");
    expect(formatShare("abc")).toBe("—");
  });

  it("keeps a bar between 0 and 100", () => {
    expect(sharePercent("45.5")).toBe(45.5);
    expect(sharePercent("100.1")).toBe(100);
    expect(sharePercent("-1")).toBe(0);
    expect(sharePercent("x")).toBe(0);
  });
});

describe("locked, wrong and missing query passwords (X-3)", () => {
  const locked = new ApiError(403, { error: "SensitiveLocked", detail: "This report is sensitive: enter your query password" });

  it("knows a locked report from another refusal", () => {
    expect(isSensitiveLocked(locked)).toBe(true);
    expect(isSensitiveLocked(new ApiError(403, { error: "Forbidden", detail: "Permission reports:query is required" }))).toBe(false);
    expect(isSensitiveLocked(new ApiError(422, { error: "InvalidPeriod" }))).toBe(false);
    expect(isSensitiveLocked(new Error("SensitiveLocked"))).toBe(false);
    expect(isSensitiveLocked(undefined)).toBe(false);
  });

  it("reads a 401 from the unlock as a wrong secret", () => {
    expect(isWrongSecret(new ApiError(401, { error: "Unauthorized", detail: "Wrong query password, or the account is temporarily locked" }))).toBe(true);
    expect(isWrongSecret(locked)).toBe(false);
  });

  it("knows a user who has no query password yet", () => {
    expect(needsQueryPassword(new ApiError(409, { error: "Conflict",
      detail: "You have no query password yet; set one first (POST /api/auth/query-password)" }))).toBe(true);
    expect(needsQueryPassword(new ApiError(409, { error: "Conflict", detail: "Something else" }))).toBe(false);
  });

  it("shows the end of an unlock as HH:mm in local time", () => {
    const end = new Date(2026, 11, 5, 9, 7, 30);
    expect(unlockedUntil(end.toISOString())).toBe("09:07");
    expect(unlockedUntil(null)).toBe("");
    expect(unlockedUntil("not a time")).toBe("");
  });

  it("tells whether an unlock still holds", () => {
    const now = new Date("2026-12-05T10:00:00Z");
    expect(isUnlocked("2026-12-05T10:15:00Z", now)).toBe(true);
    expect(isUnlocked("2026-12-05T09:59:59Z", now)).toBe(false);
    expect(isUnlocked(null, now)).toBe(false);
  });
});

describe("amounts", () => {
  it("compares money by value, not as text", () => {
    expect(compareAmounts("9.50", "10.00")).toBe(-1);
    expect(compareAmounts("100.00", "99.99")).toBe(1);
    expect(compareAmounts("5", "5.00")).toBe(0);
  });

  it("takes the ten largest for the chart", () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i, amount: `${(i * 7) % 12}.00` }));
    const top = topByAmount(rows);
    expect(top).toHaveLength(10);
    expect(top[0].amount).toBe("11.00");
    expect(top.map((r) => r.amount)).not.toContain("0.00");
    expect(topByAmount(rows, 3).map((r) => r.amount)).toEqual(["11.00", "10.00", "9.00"]);
  });
});
