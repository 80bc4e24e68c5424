import { describe, expect, it } from "vitest";
import {
  accessoriesBody, categoryKindFor, chargeString, isMenu, MENUS, monthlySeries, recordActions, recordBody,
  recordFields, recordState,
} from "./maintenance";

describe("the six menus of 维修记录 (S-3..S-9)", () => {
  it("are the seed's menus in its order, the query last", () => {
    expect(MENUS).toEqual(["content", "factory", "key", "unprocessed", "suspended", "query"]);
    expect(isMenu("suspended")).toBe(true);
    expect(isMenu("entries")).toBe(false);
    expect(isMenu(null)).toBe(false);
  });
});

describe("a record's state", () => {
  it("is suspended whatever else, then processed or not", () => {
    expect(recordState({ processed: false, suspended: false })).toBe("unprocessed");
    expect(recordState({ processed: true, suspended: false })).toBe("processed");
    expect(recordState({ processed: false, suspended: true })).toBe("suspended");
  });

  it("offers entries and suspending while open, resuming while suspended", () => {
    expect(recordActions({ processed: false, suspended: false })).toEqual({ addEntry: true, suspend: true, resume: false });
    expect(recordActions({ processed: false, suspended: true })).toEqual({ addEntry: false, suspend: false, resume: true });
    expect(recordActions({ processed: true, suspended: false })).toEqual({ addEntry: false, suspend: false, resume: false });
  });

  it("takes a fault category for a repair and a visit category for a return visit", () => {
    expect(categoryKindFor("repair")).toBe("fault");
    expect(categoryKindFor("return_visit")).toBe("visit");
  });
});

describe("the charge as the API's string decimal", () => {
  it("has two decimals", () => {
    expect(chargeString(123.4)).toBe("123.40");
    expect(chargeString(80)).toBe("80.00");
    expect(chargeString("15.5")).toBe("15.50");
    expect(chargeString(0.1 + 0.2)).toBe("0.30");
  });

  it("rounds to cents like a person", () => {
    expect(chargeString(123.405)).toBe("123.41");
    expect(chargeString(1.005)).toBe("1.01");
  });

  it("is 0.00 when empty and refuses a negative", () => {
    expect(chargeString(undefined)).toBe("0.00");
    expect(chargeString(null)).toBe("0.00");
    expect(chargeString("")).toBe("0.00");
    expect(() => chargeString(-1)).toThrow();
  });
});

describe("the accessories list", () => {
  it("drops empty rows, trims names and counts 1 by default", () => {
    expect(accessoriesBody([{ name: " 喷头 ", quantity: 2 }, { name: "" }, undefined, { name: "  " },
      { name: "墨囊", quantity: null }, { name: "滤网", quantity: 0 }])).toEqual([
      { name: "喷头", quantity: 2 }, { name: "墨囊", quantity: 1 }, { name: "滤网", quantity: 1 }]);
    expect(accessoriesBody(undefined)).toEqual([]);
  });
});

describe("the form's values as the API's body", () => {
  const base = { customer_id: "c1", kind: "repair" as const, content: "  更换喷头 ", charge: 123.4 };

  it("sends the charge as a string, blanks as null and the flags as booleans", () => {
    expect(recordBody({ ...base, engineer: " 李工 ", machine_id: undefined, accessories: [{ name: "喷头", quantity: 1 }, {}] }))
      .toEqual({
        customer_id: "c1", kind: "repair", machine_id: null, category_id: null, service_date: null,
        content: "更换喷头", engineer: "李工", accessories: [{ name: "喷头", quantity: 1 }], charge: "123.40",
        payment_status: null, return_to_factory: false, factory_return_method: null, key_matter: false,
        processed: false,
      });
  });

  it("keeps the factory return method only when the machine goes back to the factory", () => {
    expect(recordFields({ ...base, return_to_factory: true, factory_return_method: " 顺丰到付 " }))
      .toMatchObject({ return_to_factory: true, factory_return_method: "顺丰到付" });
    expect(recordFields({ ...base, return_to_factory: false, factory_return_method: "顺丰到付" }))
      .toMatchObject({ return_to_factory: false, factory_return_method: null });
    // switched on but left empty: sent as null so the server answers 422
    expect(recordFields({ ...base, return_to_factory: true, factory_return_method: "  " }))
      .toMatchObject({ return_to_factory: true, factory_return_method: null });
  });

  it("drops a payment status that cannot fit the charge and lets the server choose", () => {
    expect(recordFields({ ...base, payment_status: "paid" }).payment_status).toBe("paid");
    expect(recordFields({ ...base, payment_status: "free" }).payment_status).toBeNull();
    expect(recordFields({ ...base, charge: 0, payment_status: "unpaid" }).payment_status).toBeNull();
    expect(recordFields({ ...base, charge: 0, payment_status: "free" })).toMatchObject({ charge: "0.00", payment_status: "free" });
  });
});

describe("the monthly workload chart", () => {
  it("has all twelve months, missing ones zero", () => {
    const s = monthlySeries(2026, [{ month: "2026-03", customers: 2, repairs: 3, return_visits: 1 }]);
    expect(s.months).toHaveLength(12);
    expect(s.months[0]).toBe("2026-01");
    expect(s.repairs).toEqual([0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.customers[2]).toBe(2);
    expect(s.returnVisits[2]).toBe(1);
  });
});
