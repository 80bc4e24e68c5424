import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { auditChanges, auditText } from "./audit";

const zh = i18n.getFixedT("zh-CN");
const en = i18n.getFixedT("en-US");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const P1 = "4f0c2d3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

describe("the customer audit as text (issue 15, X-3)", () => {
  it("shows an approval as a labelled transition and the price list by product name", () => {
    const entry = { before: { status: "pending_review" }, after: { status: "approved", catalog: [
      { product_id: P1, name: "碳粉 A", model: "T-1", unit_price: "12.50" }] } };
    const text = auditText(zh, entry);
    expect(text).toContain("待审核 → 已通过");
    expect(text).toContain("碳粉 A T-1");
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain("pending_review");
    expect(text).not.toContain("{");
    expect(auditText(en, entry)).toMatch(/Pending review → Approved/i);
  });

  it("shows a price change with the product's name, never its id", () => {
    const entry = { before: { product_id: P1, name: "碳粉 A", model: "T-1", unit_price: "12.50" },
      after: { product_id: P1, name: "碳粉 A", model: "T-1", unit_price: "11.00" } };
    const [c] = auditChanges(zh, entry);
    expect(c.field).toBe("碳粉 A T-1");
    expect(c.from).toContain("12.50");
    expect(c.to).toContain("11.00");
    expect(auditText(zh, entry)).not.toMatch(UUID);
  });

  it("names an id it only knows from the page's list, and never prints an unknown one", () => {
    expect(auditText(zh, { before: { product: P1 }, after: { product: null } }, { [P1]: "硒鼓 B" })).toContain("硒鼓 B");
    expect(auditText(zh, { before: { product: P1 }, after: { product: null } })).not.toMatch(UUID);
  });

  it("labels field names, grades and cycles", () => {
    const text = auditText(zh, { before: { mobile: "13800000000", grade: "normal" },
      after: { mobile: "13900000000", grade: "large" } });
    expect(text).toContain("手机");
    expect(text).not.toContain("mobile");
    expect(text).not.toContain("large");
    expect(auditText(zh, { before: { kind: "days", days: 7, weekday: null },
      after: { kind: "weekday", days: null, weekday: 3 } })).toBe("订货周期：每 7 天 → 每周三");
  });

  it("shows a registration by its number and state first, leaving out empty fields", () => {
    const items = auditChanges(zh, { before: null, after: { fax: null, qq: "", name: "甲公司",
      number: "KH000002", status: "pending_review", mobile: "13900001111" } });
    expect(items.map((c) => c.field)).toEqual(["客户编号", "状态", "名称", "手机"]);
    expect(items[1].to).toBe("待审核");
  });

  it("shows a created record as its values, without an arrow", () => {
    const text = auditText(en, { before: null, after: { name: "Li", role: "consumables", area: "default" } });
    expect(text).not.toContain("→");
    expect(text).toContain("Consumables");
  });
});
