import { describe, expect, it } from "vitest";
import { blankToNull, checkSplit, defaultType, limitOf, missingFields, orderDate, requiredFor,
  suggestedRows } from "./invoices";

describe("fapiao requests (I-1)", () => {
  it("knows what each type needs", () => {
    expect(requiredFor("ordinary_vat", "tax_number")).toBe(true);
    expect(requiredFor("ordinary_vat", "bank")).toBe(false);
    expect(requiredFor("special_vat", "bank")).toBe(true);
    expect(missingFields("special_vat", { title: "彩印", tax_number: "91330106MA2B0XXX1X", bank: " ",
      bank_account: null })).toEqual(["bank", "bank_account", "address_phone"]);
    expect(missingFields("ordinary_vat", { title: "彩印", tax_number: "91330106MA2B0XXX1X" })).toEqual([]);
  });

  it("picks the type as the service does", () => {
    expect(defaultType(["special_vat", "special_vat"])).toBe("special_vat");
    expect(defaultType(["special_vat", "ordinary_vat"])).toBe("ordinary_vat");
    expect(defaultType([])).toBe("ordinary_vat");
  });

  it("reads the order date from the number and cleans texts", () => {
    expect(orderDate("DH20261123-0007")).toBe("2026-11-23");
    expect(orderDate("X-1")).toBeUndefined();
    expect(blankToNull("  ")).toBeNull();
    expect(blankToNull(" 顺丰 ")).toBe("顺丰");
  });
});

describe("several fapiao (I-2)", () => {
  it("prefills the suggested split and reads the limit from it", () => {
    expect(suggestedRows(["100000.00", "12210.00"])).toEqual([
      { invoice_number: "", amount: "100000.00" }, { invoice_number: "", amount: "12210.00" }]);
    expect(limitOf(["100000.00", "12210.00"])).toBe("100000.00");
    expect(limitOf(["500.00"])).toBeUndefined();
  });

  it("accepts rows adding up exactly to the amount", () => {
    const c = checkSplit("112210.00", [{ invoice_number: "A1", amount: "100000.00" },
      { invoice_number: "A2", amount: "12210" }], "100000.00");
    expect(c).toMatchObject({ sum: "112210.00", rest: "0.00", ok: true });
  });

  it("says what is wrong: the rest, a row above the limit, numbers missing or twice", () => {
    const c = checkSplit("112210.00", [{ invoice_number: "A1", amount: "100000.01" },
      { invoice_number: "A1", amount: "12209.99" }, { invoice_number: " ", amount: "abc" }], "100000.00");
    expect(c.sum).toBe("112210.00");
    expect(c.rest).toBe("0.00");
    expect(c.overLimit).toEqual([0]);
    expect(c.duplicates).toEqual([1]);
    expect(c.noNumber).toEqual([2]);
    expect(c.badAmounts).toEqual([2]);
    expect(c.ok).toBe(false);
    const short = checkSplit("0.30", [{ invoice_number: "B1", amount: "0.10" }, { invoice_number: "B2", amount: "0.10" }]);
    expect(short).toMatchObject({ sum: "0.20", rest: "0.10", ok: false });
    expect(checkSplit("10.00", []).ok).toBe(false);
    expect(checkSplit("10.00", [{ invoice_number: "C", amount: "-10" }]).badAmounts).toEqual([0]);
  });
});
