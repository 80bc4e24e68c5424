import { describe, expect, it } from "vitest";
import {
  balanceKind, isStatementMonth, lastMonth, monthEnded, monthFromSearch, previousMonth,
  statementExportUrl, statementStatusColor,
} from "./statements";

describe("statement months (B-1)", () => {
  it("defaults to last month, across the year's end", () => {
    expect(lastMonth("2026-12-01")).toBe("2026-11");
    expect(lastMonth("2027-01-31")).toBe("2026-12");
    expect(previousMonth("2026-10")).toBe("2026-09");
  });

  it("takes months from 2000-01 to this month only", () => {
    expect(isStatementMonth("2026-12", "2026-12-01")).toBe(true);
    expect(isStatementMonth("2000-01", "2026-12-01")).toBe(true);
    expect(isStatementMonth("2027-01", "2026-12-01")).toBe(false);
    expect(isStatementMonth("1999-12", "2026-12-01")).toBe(false);
    expect(isStatementMonth("2026-13", "2026-12-01")).toBe(false);
    expect(isStatementMonth("2026-1", "2026-12-01")).toBe(false);
    expect(isStatementMonth(null, "2026-12-01")).toBe(false);
  });

  it("reads the month from the address, else last month", () => {
    expect(monthFromSearch(new URLSearchParams("month=2026-10"), "2026-12-01")).toBe("2026-10");
    expect(monthFromSearch(new URLSearchParams("month=abc"), "2026-12-01")).toBe("2026-11");
    expect(monthFromSearch(new URLSearchParams(""), "2026-12-01")).toBe("2026-11");
  });

  it("a month ends when the next begins", () => {
    expect(monthEnded("2026-11", "2026-12-01")).toBe(true);
    expect(monthEnded("2026-12", "2026-12-31")).toBe(false);
  });
});

describe("statement figures (B-1)", () => {
  it("says whether the customer owes, has a credit or is settled", () => {
    expect(balanceKind("801.50")).toBe("owed");
    expect(balanceKind("-0.01")).toBe("credit");
    expect(balanceKind("0.00")).toBe("settled");
  });

  it("links the Excel file of either side in the reader's language", () => {
    expect(statementExportUrl("2026-11", "zh-CN")).toBe("/api/portal/statements/2026-11/export?lang=zh");
    expect(statementExportUrl("2026-11", "en-US", "c 1"))
      .toBe("/api/console/customers/c%201/statements/2026-11/export?lang=en");
  });

  it("colours the status", () => {
    expect(statementStatusColor("confirmed")).toBe("success");
    expect(statementStatusColor("disputed")).toBe("error");
    expect(statementStatusColor("open")).toBe("default");
  });
});
