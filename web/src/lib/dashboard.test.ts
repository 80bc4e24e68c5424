import { describe, expect, it } from "vitest";
import { chartAmount, dashboardRange, dayLabel, monthLabel, monthParts, monthStart, spansYears,
  topFirst } from "./dashboard";

describe("the dashboard's periods (X-4)", () => {
  it("offers this month, the last 3 and 12 months and this year, up to today", () => {
    expect(dashboardRange("thisMonth", "2026-12-07")).toEqual(["2026-12-01", "2026-12-07"]);
    expect(dashboardRange("last3Months", "2026-12-07")).toEqual(["2026-10-01", "2026-12-07"]);
    expect(dashboardRange("last12Months", "2026-12-07")).toEqual(["2026-01-01", "2026-12-07"]);
    expect(dashboardRange("thisYear", "2026-12-07")).toEqual(["2026-01-01", "2026-12-07"]);
  });

  it("goes back across the year", () => {
    expect(dashboardRange("last3Months", "2027-02-28")).toEqual(["2026-12-01", "2027-02-28"]);
    expect(dashboardRange("last12Months", "2027-01-31")).toEqual(["2026-02-01", "2027-01-31"]);
    expect(monthStart("2026-03-15", 14)).toBe("2025-01-01");
  });

  it("refuses what is not a day", () => {
    expect(() => dashboardRange("thisMonth", "07/12/2026")).toThrow();
  });
});

describe("labels", () => {
  it("reads a month and tells when months run over a year", () => {
    expect(monthParts("2026-03")).toEqual({ year: 2026, month: 3 });
    expect(() => monthParts("2026-3")).toThrow();
    expect(spansYears(["2026-01", "2026-12"])).toBe(false);
    expect(spansYears(["2025-12", "2026-01"])).toBe(true);
  });

  it("names months in Chinese and English", () => {
    expect(monthLabel("2026-03", "zh-CN", false)).toBe("3月");
    expect(monthLabel("2026-12", "zh-CN", true)).toBe("2026年12月");
    expect(monthLabel("2026-03", "en-US", false)).toBe("Mar");
    expect(monthLabel("2026-03", "en-US", true)).toBe("March 2026");
  });

  it("shortens days within one year", () => {
    expect(dayLabel("2026-12-07", false)).toBe("12-07");
    expect(dayLabel("2026-12-07", true)).toBe("2026-12-07");
  });
});

describe("figures for the charts", () => {
  it("keeps a locked amount a gap, not a zero (A-2)", () => {
    expect(chartAmount("1234.50")).toBe(1234.5);
    expect(chartAmount("0.00")).toBe(0);
    expect(chartAmount(null)).toBeNull();
    expect(chartAmount("x")).toBeNull();
  });

  it("draws the largest bar at the top", () => {
    const rows = [{ m: "a" }, { m: "b" }, { m: "c" }];
    expect(topFirst(rows).map((r) => r.m)).toEqual(["c", "b", "a"]);
    expect(rows.map((r) => r.m)).toEqual(["a", "b", "c"]);
  });
});
