import { describe, expect, it } from "vitest";
import { areaLabel, areaPath, buildAreaOptions, mergeAreas, splitAreas, summarizeAreas } from "./areas";

// A slice of @vant/area-data's areaList (codes → names).
const LIST = {
  province_list: { 110000: "北京市", 440000: "广东省", 330000: "浙江省" },
  city_list: { 110100: "北京市", 440100: "广州市", 440300: "深圳市", 330100: "杭州市", 330200: "宁波市" },
};
const OPTIONS = buildAreaOptions(LIST);

describe("areas from the province/city list (issue 15, C-7)", () => {
  it("builds provinces with their cities in code order", () => {
    expect(OPTIONS.map((o) => o.value)).toEqual(["北京市", "浙江省", "广东省"]);
    expect(OPTIONS[2].children?.map((c) => c.value)).toEqual(["广州市", "深圳市"]);
  });

  it("reads a stored area as a path only when it is in the list", () => {
    expect(areaPath("广东省/深圳市", OPTIONS)).toEqual(["广东省", "深圳市"]);
    expect(areaPath("广东省/杭州市", OPTIONS)).toBeNull();
    expect(areaPath("华东", OPTIONS)).toBeNull();
    expect(areaPath("广东省", OPTIONS)).toBeNull();
    expect(areaPath(null, OPTIONS)).toBeNull();
  });

  it("labels areas for a person, free text unchanged", () => {
    expect(areaLabel("广东省/深圳市")).toBe("广东省 / 深圳市");
    expect(areaLabel("北京市/北京市")).toBe("北京市");
    expect(areaLabel("华东")).toBe("华东");
    expect(areaLabel(null)).toBe("");
  });

  it("keeps a staff member's free-text areas beside the chosen cities", () => {
    const { paths, other } = splitAreas(["华东", "广东省/深圳市", "浙江省/杭州市"], OPTIONS);
    expect(paths).toEqual([["广东省", "深圳市"], ["浙江省", "杭州市"]]);
    expect(other).toEqual(["华东"]);
    expect(mergeAreas([["广东省", "广州市"], ["广东省", "广州市"]], [" 华东 ", ""]))
      .toEqual(["广东省/广州市", "华东"]);
  });

  it("sums up a whole province", () => {
    expect(summarizeAreas(["广东省/广州市", "广东省/深圳市", "浙江省/杭州市", "华东"], OPTIONS,
      (p) => `${p}（全省）`)).toEqual(["广东省（全省）", "浙江省 / 杭州市", "华东"]);
  });
});
