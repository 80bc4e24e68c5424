import { describe, expect, it } from "vitest";
import { CONSOLE_MENU, routeKeys } from "../console/menu";
import { has, visibleMenu } from "./permissions";

describe("permissions as the API checks them (X-1)", () => {
  it("grants by *, module:* or the exact permission", () => {
    expect(has(["*"], "orders:review")).toBe(true);
    expect(has(["orders:*"], "orders:review")).toBe(true);
    expect(has(["orders:query"], "orders:review")).toBe(false);
    expect(has(["orders:review"], "orders:review")).toBe(true);
    expect(has(undefined, "orders:query")).toBe(false);
  });
});

describe("the console menu shows what the user may use", () => {
  const keys = (perms: string[]) => routeKeys(visibleMenu(CONSOLE_MENU, perms));

  it("shows everything to an administrator", () => {
    expect(keys(["*"])).toEqual(["/", "/review", "/customers", "/products", "/orders", "/orders/all", "/orders/entry", "/returns", "/invoices", "/statements", "/points", "/machines", "/service-requests", "/maintenance", "/analysis", "/analysis/orders", "/analysis/anomalies", "/articles", "/messages", "/deliveries", "/staff", "/roles", "/contacts", "/security/audit", "/ops/dead-letters"]);
  });

  it("shows an order clerk only the orders", () => {
    expect(keys(["orders:query", "orders:review"])).toEqual(["/", "/orders", "/orders/all", "/returns"]);
  });

  it("drops a group none of whose entries is allowed", () => {
    const groups = visibleMenu(CONSOLE_MENU, ["customers:review"]).map((e) => e.key);
    expect(groups).toEqual(["/", "customers-group"]);
    expect(keys(["customers:review"])).toEqual(["/", "/review"]);
  });

  it("shows the composer to a writer and the delivery log to a reader of messages (N-1, N-2)", () => {
    expect(keys(["messages:entry"])).toEqual(["/", "/messages"]);
    expect(keys(["messages:query"])).toEqual(["/", "/articles", "/messages", "/deliveries"]);
  });

  it("shows finance the fapiao page (I-2)", () => {
    expect(keys(["invoices:query", "invoices:entry"])).toEqual(["/", "/invoices"]);
    expect(keys(["invoices:entry"])).toEqual(["/"]);
  });

  it("shows finance the monthly statements (B-1)", () => {
    expect(keys(["payments:query"])).toEqual(["/", "/statements"]);
    expect(keys(["payments:entry"])).toEqual(["/"]);
  });

  it("shows summaries to whoever may query reports (A-2)", () => {
    expect(keys(["reports:query"])).toEqual(["/", "/analysis", "/analysis/orders", "/analysis/anomalies"]);
    expect(visibleMenu(CONSOLE_MENU, ["reports:query"]).map((e) => e.key)).toEqual(["/", "analysis-group"]);
    expect(keys(["orders:query"])).not.toContain("/analysis");
  });

  it("shows settings by module wildcard", () => {
    expect(keys(["settings:*"])).toEqual(["/", "/staff", "/roles", "/contacts", "/security/audit"]);
  });

  it("shows the dead letters to whoever may query operations (B-7)", () => {
    expect(keys(["ops:query"])).toEqual(["/", "/ops/dead-letters"]);
    expect(keys(["ops:entry", "ops:modify"])).toEqual(["/"]);
    expect(keys(["settings:*"])).not.toContain("/ops/dead-letters");
  });

  it("shows the security audit only to whoever may query settings (X-3, issue 15)", () => {
    expect(keys(["settings:query"])).toContain("/security/audit");
    expect(keys(["orders:query", "orders:review", "customers:*", "ops:query"])).not.toContain("/security/audit");
  });
});
