import { describe, expect, it } from "vitest";
import { orderLines } from "./order";
import {
  COMPANY_CHECKS, businessToday, companyPayload, deliveryDate, email, mobile, normalizeMobile,
  passwordProblem, price, qq, quantity, reason, taxNumber, username,
} from "./validators";

describe("company information as the API checks it (C-1)", () => {
  it("accepts Chinese mobile numbers the way people write them", () => {
    expect(normalizeMobile("+86 138-1234-5678")).toBe("13812345678");
    expect(normalizeMobile("（138）12345678")).toBe("13812345678");
    expect(mobile("13812345678")).toBeNull();
    expect(mobile("12812345678")).toBe("validation.mobile");
    expect(mobile("1381234567")).toBe("validation.mobile");
    expect(mobile("")).toBe("validation.required");
  });

  it("checks email, tax number and QQ", () => {
    expect(email("Buyer@Example.CN")).toBeNull();
    expect(email("buyer@example")).toBe("validation.email");
    expect(taxNumber("91310000ma1fl0xx1x")).toBeNull();
    expect(taxNumber("")).toBeNull();
    expect(taxNumber("1234")).toBe("validation.taxNumber");
    expect(qq("123456")).toBeNull();
    expect(qq("0123456")).toBe("validation.qq");
    expect(COMPANY_CHECKS.area_code("021")).toBeNull();
    expect(COMPANY_CHECKS.area_code("21")).toBe("validation.areaCode");
    expect(COMPANY_CHECKS.telephone("021-5888 1234转123")).toBeNull();
    expect(COMPANY_CHECKS.telephone("abc")).toBe("validation.phone");
    expect(COMPANY_CHECKS.bank_account("6222 0000 1111 2222")).toBeNull();
    expect(COMPANY_CHECKS.bank_account("12ab")).toBe("validation.bankAccount");
  });

  it("requires the five basic fields and limits lengths", () => {
    expect(COMPANY_CHECKS.name("  ")).toBe("validation.required");
    expect(COMPANY_CHECKS.name("x".repeat(201))).toBe("validation.tooLong");
    expect(COMPANY_CHECKS.contact_person("王丽")).toBeNull();
    expect(COMPANY_CHECKS.area(undefined)).toBeNull();
  });

  it("sends trimmed values and leaves blanks out", () => {
    expect(companyPayload({ name: " 印美 ", fax: "  ", mobile: "13812345678", other: "x" }))
      .toEqual({ name: "印美", mobile: "13812345678" });
  });
});

describe("accounts (X-3)", () => {
  it("checks usernames and password strength", () => {
    expect(username("wang.li@shop")).toBeNull();
    expect(username("ab")).toBe("validation.username");
    expect(passwordProblem("short1")).toBe("validation.passwordShort");
    expect(passwordProblem("onlyletters")).toBe("validation.passwordMix");
    expect(passwordProblem("wangli123", "WangLi123")).toBe("validation.passwordIsUsername");
    expect(passwordProblem("secret-123", "wangli")).toBeNull();
  });
});

describe("orders (O-3)", () => {
  it("needs a delivery date not before today in Shanghai", () => {
    const today = businessToday(new Date("2026-11-23T17:00:00Z")); // 01:00 on the 24th in Shanghai
    expect(today).toBe("2026-11-24");
    expect(deliveryDate("2026-11-23", today)).toBe("validation.deliveryPast");
    expect(deliveryDate("2026-11-24", today)).toBeNull();
    expect(deliveryDate(null, today)).toBe("validation.deliveryRequired");
  });

  it("takes positive whole quantities and at least one line", () => {
    expect(quantity(3)).toBeNull();
    expect(quantity(1.5)).toBe("validation.quantity");
    expect(quantity(2_000_000)).toBe("validation.quantityMax");
    const items = [{ product_id: "a" }, { product_id: "b" }, { product_id: "c" }];
    expect(orderLines(items, { a: 2, b: null, c: 0 })).toEqual({ lines: [{ product_id: "a", quantity: 2 }], problem: null });
    expect(orderLines(items, {}).problem).toBe("order.noLines");
    expect(orderLines(items, { a: -1 }).problem).toBe("validation.quantity");
  });

  it("checks prices and reasons", () => {
    expect(price("160.30")).toBeNull();
    expect(price("160.305")).toBe("validation.price");
    expect(price("0")).toBe("validation.pricePositive");
    expect(reason(" ")).toBe("validation.reasonRequired");
    expect(reason("资料不全")).toBeNull();
  });
});
