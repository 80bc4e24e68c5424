import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) =>
  describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("statement errors in Chinese (B-1)", () => {
  it("says why a month cannot be acknowledged", () => {
    expect(zh(422, "MonthNotEnded", "month: 2026-12 has not ended yet; a statement can be confirmed once its month is over"))
      .toBe("该月尚未结束，月末后方可确认或提出异议");
    expect(zh(409, "StatementConflict", "the statement of 2026-11 is already confirmed")).toBe("该月对账单已确认");
    expect(zh(409, "StatementConflict", "the statement of 2026-11 is disputed; staff will answer the dispute, then it can be confirmed"))
      .toBe("该月对账单有异议，待供应商答复后方可确认");
    expect(zh(409, "StatementChanged", "the statement of 2026-11 changed since you loaded it: the closing balance is now 5.00, not 4.00; reload it"))
      .toBe("对账单在您查看后有变动，请刷新后重新核对");
  });

  it("says what is wrong with a month", () => {
    expect(zh(422, "InvalidMonth", "month: 2026-13 is not a month; months are 01 to 12")).toBe("月份格式不正确，应为“年-月”，如 2026-11");
    expect(zh(422, "InvalidMonth", "month: 2027-01 has not begun yet; the latest statement is 2026-12 (so far)")).toBe("该月份尚未开始");
  });

  it("keeps English as the API wrote it", () => {
    const detail = "the statement of 2026-11 is already confirmed";
    expect(describeError(new ApiError(409, { error: "StatementConflict", detail }), t, "en-US")).toBe(detail);
  });
});
