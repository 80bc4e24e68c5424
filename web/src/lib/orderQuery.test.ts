import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { describeError } from "../api/errors";
import i18n from "../i18n";
import { columnSortOrder, countConditions, cycleLabel, DEFAULT_SORT, downloadName, sortFromTable,
  toParams } from "./orderQuery";

describe("the order query's conditions (A-1)", () => {
  it("leaves out what is not set, so that it is no condition", () => {
    expect(toParams({})).toEqual({});
    expect(toParams({ q: "  ", area: [], grade: [], amount_min: null, amount_max: "", model: " " })).toEqual({});
  });

  it("sends repeated values once, trimmed", () => {
    expect(toParams({ area: [" 华东", "华东", "华北 "], status: ["processing", "processing"] }))
      .toEqual({ area: ["华东", "华北"], status: ["processing"] });
  });

  it("combines every kind of condition", () => {
    const p = toParams({ customer_id: ["c1", "c2"], q: " 印美 ", grade: ["large"], payment_method: ["cash"],
      payment: "overdue", from: "2026-11-01", to: "2026-11-30", amount_min: "100", amount_max: "200.50",
      model: "INK-1L" });
    expect(p).toEqual({ customer_id: ["c1", "c2"], q: "印美", grade: ["large"], payment_method: ["cash"],
      payment: "overdue", from: "2026-11-01", to: "2026-11-30", amount_min: "100", amount_max: "200.50",
      model: "INK-1L" });
    expect(countConditions(p)).toBe(10);
  });
});

describe("the server-side sort", () => {
  it("marks the sorted column only", () => {
    expect(columnSortOrder({ sort: "amount", order: "asc" }, "amount")).toBe("ascend");
    expect(columnSortOrder({ sort: "amount", order: "desc" }, "amount")).toBe("descend");
    expect(columnSortOrder({ sort: "amount", order: "desc" }, "cycle")).toBeNull();
  });

  it("reads a click on a column, and goes back to newest first", () => {
    expect(sortFromTable("machines", "descend")).toEqual({ sort: "machines", order: "desc" });
    expect(sortFromTable("cycle", "ascend")).toEqual({ sort: "cycle", order: "asc" });
    expect(sortFromTable("amount", null)).toEqual(DEFAULT_SORT);
    expect(sortFromTable("customer", "ascend")).toEqual(DEFAULT_SORT);
  });
});

describe("the ordering cycle", () => {
  it("says every N days or the weekday, nothing without a cycle", () => {
    expect(cycleLabel("days", 14, null)).toEqual({ key: "orderQuery.cycle.days", values: { n: 14 } });
    expect(cycleLabel("weekday", null, 3)).toEqual({ key: "orderQuery.cycle.weekday", values: { day: 3 } });
    expect(cycleLabel("weekday", null, 9)).toBeNull();
    expect(cycleLabel(null, null, null)).toBeNull();
  });
});

describe("the export's file name", () => {
  it("comes from Content-Disposition", () => {
    expect(downloadName('attachment; filename="order-query-20261205-101500.xlsx"', "x.xlsx"))
      .toBe("order-query-20261205-101500.xlsx");
    expect(downloadName("attachment; filename*=utf-8''%E8%AE%A2%E5%8D%95.xlsx", "x.xlsx")).toBe("订单.xlsx");
    expect(downloadName("attachment; filename=plain.xlsx", "x.xlsx")).toBe("plain.xlsx");
    expect(downloadName(null, "x.xlsx")).toBe("x.xlsx");
  });
});

describe("the query's refusals, in Chinese", () => {
  const t = i18n.getFixedT("zh-CN");
  const zh = (detail: string) => describeError(new ApiError(422, { error: "InvalidQuery", detail }), t, "zh-CN");

  it("explains contradicting conditions and an export too large (422)", () => {
    expect(zh("The period is the wrong way round: from 2026-12-05 is after to 2026-12-01"))
      .toBe("订货日期的开始（2026-12-05）晚于结束（2026-12-01）");
    expect(zh("The amount range is the wrong way round: amount_min 200 is more than amount_max 100"))
      .toBe("金额范围颠倒：最低金额 200 高于最高金额 100");
    expect(zh("100001 orders match, more than the 100000 one export holds; narrow the conditions "
      + "(for example the period) and export again"))
      .toBe("符合条件的订单有 100001 个，超过单次导出上限 100000 个；请缩小查询条件（例如订货日期）后再导出");
  });
});
