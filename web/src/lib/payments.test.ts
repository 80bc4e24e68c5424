import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { absoluteUrl, payableOnline } from "./payments";

const order = (over: Partial<Schemas["OrderOut"]>) =>
  ({ status: "processing", due_date: "2026-12-24", outstanding: "10.00", ...over }) as Schemas["OrderOut"];

describe("online payment (B-2, O-6)", () => {
  it("is offered for an approved order that still owes something", () => {
    expect(payableOnline(order({}))).toBe(true);
    expect(payableOnline(order({ due_date: null, status: "submitted" }))).toBe(false);
    expect(payableOnline(order({ outstanding: "0.00" }))).toBe(false);
    expect(payableOnline(order({ status: "cancelled" }))).toBe(false);
  });

  it("makes the sandbox's path a full address for the QR code", () => {
    expect(absoluteUrl("/api/payments/sandbox/DH1", "http://192.168.1.5:8080"))
      .toBe("http://192.168.1.5:8080/api/payments/sandbox/DH1");
    expect(absoluteUrl("weixin://wxpay/bizpayurl?pr=abc", "http://x")).toBe("weixin://wxpay/bizpayurl?pr=abc");
  });
});
