import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) => describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("summaries' refusals, in Chinese (A-2, X-3)", () => {
  it("asks for the query password (403 SensitiveLocked)", () => {
    expect(zh(403, "SensitiveLocked", "This report is sensitive: enter your query password to unlock it "
      + "(POST /api/auth/unlock-sensitive)")).toBe("该报表属于敏感信息，请先输入查询密码解锁");
    expect(zh(403, "SensitiveLocked", "")).toBe("请先输入查询密码解锁");
  });

  it("explains a bad period (422)", () => {
    expect(zh(422, "InvalidPeriod", "from (2026-12-05) must not be after to (2026-12-01)"))
      .toBe("开始日期（2026-12-05）不能晚于结束日期（2026-12-01）");
    expect(zh(422, "InvalidPeriod", "A summary covers at most three years; choose a shorter period"))
      .toBe("汇总期间最长三年，请缩短期间");
  });

  it("says the query password is wrong, not that the login failed (401)", () => {
    expect(zh(401, "Unauthorized", "Wrong query password, or the account is temporarily locked"))
      .toBe("查询密码不正确，或账号已被暂时锁定");
    expect(zh(401, "Unauthorized", "Wrong current password, or the account is temporarily locked"))
      .toBe("当前密码不正确，或账号已被暂时锁定");
  });

  it("asks a user without a query password to set one (409, 422)", () => {
    expect(zh(409, "Conflict", "You have no query password yet; set one first (POST /api/auth/query-password)"))
      .toBe("您还没有设置查询密码，请先设置");
    expect(zh(422, "InvalidCredentialsFormat", "query_password must differ from your login password"))
      .toBe("查询密码不能与登录密码相同");
  });

  it("keeps English as the API wrote it", () => {
    const detail = "A summary covers at most three years; choose a shorter period";
    expect(describeError(new ApiError(422, { error: "InvalidPeriod", detail }), t, "en-US")).toBe(detail);
  });
});
