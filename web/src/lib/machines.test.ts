import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { describeError } from "../api/errors";
import { CONSOLE_MENU, routeKeys } from "../console/menu";
import i18n from "../i18n";
import { collectionOptions, consumablePaymentOptions, warrantyState, warrantyUntil } from "./machines";
import { visibleMenu } from "./permissions";

const zhT = i18n.getFixedT("zh-CN");
const enT = i18n.getFixedT("en-US");

const machine = (over: Partial<Parameters<typeof warrantyState>[0]> = {}) => ({
  warranty_months: 12, warranty_until: "2027-03-14", in_warranty: true, warranty_days_left: 200, ...over,
});

describe("which warranty tag a machine shows (S-2)", () => {
  it("is in warranty with more than 30 days left", () => {
    expect(warrantyState(machine({ warranty_days_left: 31 }))).toBe("in");
  });

  it("is expiring with 30 days or fewer left", () => {
    expect(warrantyState(machine({ warranty_days_left: 30 }))).toBe("expiring");
    expect(warrantyState(machine({ warranty_days_left: 0 }))).toBe("expiring"); // the last day
  });

  it("is expired once the warranty is over", () => {
    expect(warrantyState(machine({ in_warranty: false, warranty_days_left: 0 }))).toBe("expired");
  });

  it("is none without a warranty", () => {
    expect(warrantyState(machine({ warranty_months: 0, warranty_until: null, in_warranty: false,
      warranty_days_left: null }))).toBe("none");
  });
});

describe("the warranty's last day, as the server derives it (S-2)", () => {
  it("is the day before the same day months later", () => {
    expect(warrantyUntil("2026-03-15", 12)).toBe("2027-03-14");
    expect(warrantyUntil("2026-01-31", 12)).toBe("2027-01-30");
    expect(warrantyUntil("2020-05-01", 24)).toBe("2022-04-30");
  });

  it("takes the month's last day when that month is shorter", () => {
    expect(warrantyUntil("2026-01-31", 1)).toBe("2026-02-27"); // 28 Feb less one day
    expect(warrantyUntil("2027-01-31", 13)).toBe("2028-02-28"); // 29 Feb 2028 less one day
  });

  it("crosses years", () => {
    expect(warrantyUntil("2026-11-30", 3)).toBe("2027-02-27");
    expect(warrantyUntil("2026-12-01", 120)).toBe("2036-11-30");
  });

  it("is none for 0 months or a missing date", () => {
    expect(warrantyUntil("2026-03-15", 0)).toBeNull();
    expect(warrantyUntil("", 12)).toBeNull();
    expect(warrantyUntil("2026-03-15", 1.5)).toBeNull();
  });
});

describe("the form's choices", () => {
  it("labels every collection status and consumable payment method in both languages", () => {
    for (const t of [zhT, enT]) {
      for (const o of [...collectionOptions(t), ...consumablePaymentOptions(t)]) {
        expect(o.label).not.toMatch(/^machines\./);
      }
    }
    expect(collectionOptions(zhT).map((o) => o.label)).toEqual(["已收款", "部分收款", "未收款"]);
    expect(consumablePaymentOptions(zhT).map((o) => o.value)).toEqual(["prepaid", "on_delivery", "monthly", "other"]);
  });
});

describe("the installed base's refusals, in Chinese", () => {
  const zh = (error: string, detail: string, status = 422) =>
    describeError(new ApiError(status, { error, detail }), zhT, "zh-CN");

  it("says a purchase date in the future is refused", () => {
    expect(zh("InvalidMachine", "The purchase date 2030-01-01 is in the future; enter the date the customer bought the machine"))
      .toBe("购买日期 2030-01-01 晚于今天，请填写客户实际购买设备的日期");
  });

  it("says a machine number is already used", () => {
    expect(zh("Conflict", "Machine number SN-1 is already registered; find that machine and edit it instead", 409))
      .toBe("设备编号 SN-1 已被其他设备使用；请找到那台设备进行编辑");
  });

  it("says a machine is not there", () => {
    expect(zh("NotFound", "Machine not found", 404)).toBe("找不到该设备，可能不属于您或您负责的区域");
  });

  it("keeps English as the API wrote it", () => {
    const detail = "Machine number SN-1 is already registered to another machine";
    expect(describeError(new ApiError(409, { error: "Conflict", detail }), enT, "en-US")).toBe(detail);
  });
});

describe("the console's 设备档案 entry (S-2)", () => {
  const keys = (perms: string[]) => routeKeys(visibleMenu(CONSOLE_MENU, perms));

  it("shows to whoever may query the service desk, in the after-sales group", () => {
    expect(keys(["service_desk:query"])).toContain("/machines");
    const groups = visibleMenu(CONSOLE_MENU, ["service_desk:*"]);
    expect(groups.map((e) => e.key)).toEqual(["/", "service-group"]);
    expect(groups[1].children?.map((e) => e.key)).toContain("/machines");
  });

  it("stays hidden from staff who may only enter, and from other modules", () => {
    expect(keys(["service_desk:entry"])).not.toContain("/machines");
    expect(keys(["orders:*", "points:*"])).not.toContain("/machines");
  });
});
