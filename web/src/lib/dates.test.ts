import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMonth } from "./dates";

describe("dates (issue 15: one format, business time zone)", () => {
  it("shows an instant in Asia/Shanghai whatever the browser's zone", () => {
    expect(formatDateTime("2026-12-01T16:30:00Z")).toBe("2026-12-02 00:30");
    expect(formatDateTime("2026-12-01T16:30:05Z", true)).toBe("2026-12-02 00:30:05");
  });
  it("keeps business dates as they are and dates instants in Shanghai", () => {
    expect(formatDate("2026-12-01")).toBe("2026-12-01");
    expect(formatDate("2026-12-01T17:00:00Z")).toBe("2026-12-02");
  });
  it("shows a dash for nothing or garbage", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime("not a date")).toBe("—");
    expect(formatDate(undefined)).toBe("—");
    expect(formatMonth("2026-11-01")).toBe("2026-11");
  });
});
