import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (detail: string) => describeError(new ApiError(422, { error: "PointsNotUsable", detail }), t, "zh-CN");

describe("points that cannot be used, in Chinese (P-2)", () => {
  it("says the threshold is not reached yet", () => {
    expect(zh("Points can be used once 100 points have taken effect in total; you have 40"))
      .toBe("累计积分满 100 分后才能使用积分抵扣，您目前累计 40 分");
  });

  it("says how many points the order can take", () => {
    expect(zh("Points pay for consumables and accessories only (1 point = 1 yuan): this order can take at most 36 points, not 50"))
      .toBe("积分只能抵扣耗材和配件（1 分抵 1 元）：本单最多可用 36 积分，不能使用 50 积分");
  });

  it("says how many points are left", () => {
    expect(zh("You have 40 points left, not 50")).toBe("您的可用积分只有 40 分，不能使用 50 分");
  });

  it("says why a modification would leave too little for the points", () => {
    expect(zh("This order pays 150 points, and its consumables and accessories would be worth only 90 yuan; keep more of them, or cancel the order and place a new one with fewer points"))
      .toMatch(/^本单已使用 150 积分抵扣，修改后耗材和配件只值 90 元/);
  });

  it("falls back to a general sentence with the API's words", () => {
    expect(zh("something new")).toBe("无法使用积分抵扣（something new）");
  });

  it("keeps English as the API wrote it", () => {
    const detail = "You have 40 points left, not 50";
    expect(describeError(new ApiError(422, { error: "PointsNotUsable", detail }), t, "en-US")).toBe(detail);
  });
});
