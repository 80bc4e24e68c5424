import { describe, expect, it } from "vitest";
import { deliveryStatusColor, maskMobile, openidProblem, openidValue, recipientsBody, sendChannels,
  staffMessageParts, statusCounts } from "./messages";

describe("the composer's recipients (N-1)", () => {
  it("sends the chosen customers once each", () => {
    expect(recipientsBody({ mode: "customers", customerIds: ["a", "b", "a"] })).toEqual({ customer_ids: ["a", "b"] });
  });

  it("has nothing to send before a customer is chosen", () => {
    expect(recipientsBody({ mode: "customers", customerIds: [] })).toBeUndefined();
    expect(recipientsBody({ mode: "customers" })).toBeUndefined();
  });

  it("keeps only the conditions given; unticked is no condition", () => {
    expect(recipientsBody({ mode: "filter", grade: "large", area: "  杭州 ", overdue: true, cycleDue: false }))
      .toEqual({ filter: { grade: "large", area: "杭州", overdue: true } });
    expect(recipientsBody({ mode: "filter", area: "  ", customerIds: ["x"] })).toEqual({ filter: {} });
  });

  it("always sends to the inbox, then the ticked channels", () => {
    expect(sendChannels(undefined)).toEqual(["inbox"]);
    expect(sendChannels(["wechat", "sms", "sms", "inbox"])).toEqual(["inbox", "sms", "wechat"]);
  });
});

describe("deliveries (N-2)", () => {
  it("orders a batch's statuses by lifecycle and drops zeros", () => {
    expect(statusCounts({ failed: 1, delivered: 3, requested: 0, odd: 2 }))
      .toEqual([["delivered", 3], ["failed", 1], ["odd", 2]]);
    expect(statusCounts(undefined)).toEqual([]);
  });

  it("colours a status", () => {
    expect(deliveryStatusColor("delivered")).toBe("success");
    expect(deliveryStatusColor("failed")).toBe("error");
    expect(deliveryStatusColor("whatever")).toBe("default");
  });
});

describe("the customer's notification settings (N-2)", () => {
  it("hides a mobile number's middle digits", () => {
    expect(maskMobile("13900001111")).toBe("139****1111");
    expect(maskMobile(null)).toBe("");
    expect(maskMobile("12345")).toBe("***45");
  });

  it("accepts an openid of letters, digits, - and _ or nothing", () => {
    expect(openidProblem("oAbC-12_x")).toBeNull();
    expect(openidProblem("")).toBeNull();
    expect(openidProblem(undefined)).toBeNull();
    expect(openidProblem("有 空格")).toBe("notifySettings.openidInvalid");
    expect(openidProblem("x".repeat(65))).toBe("notifySettings.openidInvalid");
  });

  it("saves a blank openid as unbound", () => {
    expect(openidValue("  ")).toBeNull();
    expect(openidValue(" o1 ")).toBe("o1");
  });
});

describe("a staff message in the inbox (N-5)", () => {
  it("takes title and body from the message's data", () => {
    expect(staffMessageParts({ title: "放假通知", body: "五一放假" }, "放假通知：五一放假"))
      .toEqual({ title: "放假通知", body: "五一放假" });
  });

  it("falls back to the message text", () => {
    expect(staffMessageParts({}, "放假通知：五一放假")).toEqual({ title: "放假通知", body: "五一放假" });
    expect(staffMessageParts(undefined, "hello")).toEqual({ title: "", body: "hello" });
  });
});
