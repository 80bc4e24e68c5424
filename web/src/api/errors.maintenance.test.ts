import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) => describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("maintenance records' refusals, in Chinese (S-3..S-8)", () => {
  it("asks for the factory return method (422)", () => {
    expect(zh(422, "InvalidRecord", "factory_return_method is required when the machine goes back to the factory "
      + "(return_to_factory): say how it is sent, e.g. 顺丰到付")).toBe("返厂的记录需要填写返厂方式（如：顺丰到付）");
  });

  it("says a charged record cannot be free", () => {
    expect(zh(422, "InvalidRecord", "A record with a charge cannot be free: set payment_status to unpaid or paid, or the charge to 0"))
      .toBe("有收费的记录不能为免费：请选未付或已付，或把收费改为 0");
  });

  it("says a processed or suspended record takes no entries (409)", () => {
    expect(zh(409, "IllegalRecordTransition", "This record is already processed: no more repair processing entries"))
      .toBe("该记录已处理，不能再追加处理记录");
    expect(zh(409, "IllegalRecordTransition", "This record is suspended: resume it before work continues"))
      .toBe("该记录已挂起，请先恢复再继续处理");
  });

  it("names the duplicate category (409)", () => {
    expect(zh(409, "Conflict", "The category 喷头堵塞 already exists")).toBe("分类“喷头堵塞”已存在");
  });

  it("explains a category of the wrong kind, even with its semicolon", () => {
    expect(zh(422, "InvalidRecord", "A repair takes a fault category; 上门回访 is a visit category"))
      .toBe("分类类型不符：维修用故障分类，回访用回访分类");
  });

  it("keeps English as the API wrote it", () => {
    const detail = "A processed record cannot be suspended";
    expect(describeError(new ApiError(409, { error: "IllegalRecordTransition", detail }), t, "en-US")).toBe(detail);
  });
});
