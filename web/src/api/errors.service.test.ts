import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) => describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("fault reports' and repair points' refusals, in Chinese (S-1, P-2)", () => {
  it("names the photo that is not an image, and the limits", () => {
    expect(zh(422, "InvalidRequest", "Photo readme.jpg: the file is not a JPEG, PNG or WebP image"))
      .toBe("readme.jpg 不是 JPEG、PNG 或 WebP 图片");
    expect(zh(422, "InvalidRequest", "Photo a.png: the file is 6.2 MB; a photo may be at most 5 MB"))
      .toBe("a.png 超过 5 MB，请压缩后再上传");
    expect(zh(422, "InvalidRequest", "A fault report takes at most 6 photos; this one has 5, so 1 more can be added (not 2)"))
      .toBe("一条报修最多 6 张照片，这条已有 5 张");
  });

  it("says a closed report takes nothing more (409)", () => {
    expect(zh(409, "IllegalTransition", "This fault report is closed and accepts no more replies or photos; "
      + "please report the fault again as a new report")).toBe("这条报修已关闭，不能再回复或添加照片；如故障仍在，请重新报修");
  });

  it("explains a repair charge's points limit", () => {
    expect(zh(422, "InvalidRecord", "The charge of 120.80 yuan takes at most 120 points, not 121"))
      .toBe("维修费 120.80 元最多可抵扣 120 积分");
    expect(zh(422, "InvalidRecord", "60 points pay part of this charge: give them back before lowering the charge below that"))
      .toBe("已有 60 积分抵扣这笔维修费，请先退回积分再把费用改低");
  });
});
