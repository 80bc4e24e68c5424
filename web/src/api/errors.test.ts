import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError, formFieldErrors } from "./errors";

const t = i18n.getFixedT("zh-CN");

describe("API errors in Chinese", () => {
  it("translates field errors of a 422 with the field's name", () => {
    const err = new ApiError(422, {
      error: "ValidationError",
      detail: "company.mobile: Value error, must be a Chinese mobile number: 11 digits starting with 1",
      errors: [{ loc: ["body", "company", "mobile"], msg: "Value error, must be a Chinese mobile number: 11 digits starting with 1 (e.g. 13812345678)" }],
    });
    expect(describeError(err, t, "zh-CN")).toBe("手机：请输入正确的手机号（1 开头的 11 位数字）");
    expect(formFieldErrors(err, t, "zh-CN")).toEqual([{ name: ["mobile"], errors: ["请输入正确的手机号（1 开头的 11 位数字）"] }]);
  });

  it("names the row of a list", () => {
    const err = new ApiError(422, { error: "ValidationError", detail: "x",
      errors: [{ loc: ["body", "lines", 0, "quantity"], msg: "Input should be greater than 0" }] });
    expect(describeError(err, t, "zh-CN")).toBe("数量（第 1 行）：必须大于 0");
  });

  it("translates known details and keeps unknown ones", () => {
    expect(describeError(new ApiError(401, { error: "Unauthorized", detail: "Invalid username or password" }), t, "zh-CN"))
      .toBe("用户名或密码错误");
    expect(describeError(new ApiError(409, { error: "Conflict", detail: "This username is already taken; please choose another" }), t, "zh-CN"))
      .toBe("该用户名已被注册，请换一个");
    expect(describeError(new ApiError(409, { error: "IllegalTransition", detail: "Something new happened" }), t, "zh-CN"))
      .toBe("当前状态不允许此操作（Something new happened）");
    expect(describeError(new ApiError(0, { error: "NetworkError", detail: "The server cannot be reached" }), t, "zh-CN"))
      .toBe("无法连接服务器，请检查网络后重试");
  });

  it("translates the issue-8 messages: ended sessions, own access, last full rights, money, dates", () => {
    expect(describeError(new ApiError(401, { error: "Unauthorized", detail: "Your session has ended; please log in again" }), t, "zh-CN"))
      .toContain("登录已结束");
    expect(describeError(new ApiError(409, { error: "Conflict", detail: "You cannot change your own permissions, roles or areas; another administrator has to" }), t, "zh-CN"))
      .toContain("不能修改自己的权限");
    expect(describeError(new ApiError(409, { error: "LastFullRights", detail: "This change would leave no active staff user with full rights (every permission in every area)" }), t, "zh-CN"))
      .toContain("全部权限");
    const money = new ApiError(422, { error: "ValidationError", detail: "x",
      errors: [{ loc: ["body", "amount"], msg: "Value error, must be an amount of money such as \"801.50\": digits with at most two decimals, no exponent" }] });
    expect(describeError(money, t, "zh-CN")).toContain("请输入正确的金额");
    const day = new ApiError(422, { error: "ValidationError", detail: "x",
      errors: [{ loc: ["body", "delivery_date"], msg: "Value error, must be a date between 2000-01-01 and 2099-12-31" }] });
    expect(describeError(day, t, "zh-CN")).toContain("2099-12-31");
  });

  it("keeps the name of a field called body (an article's)", () => {
    const err = new ApiError(422, { error: "ValidationError", detail: "x",
      errors: [{ loc: ["body", "body"], msg: "Value error, must not be blank" }] });
    expect(formFieldErrors(err, t, "zh-CN")).toEqual([{ name: ["body"], errors: ["必填"] }]);
  });

  it("shows the API's own text in English", () => {
    expect(describeError(new ApiError(401, { error: "Unauthorized", detail: "Invalid username or password" }), t, "en-US"))
      .toBe("Invalid username or password");
  });
});
