import { describe, expect, it } from "vitest";
import { cartesianOption, compactAmount, hasData, moneyText, pieOption } from "./options";

type AnyOption = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("chart options shared by the console's charts (X-4)", () => {
  it("puts bars and a line on two axes with a legend", () => {
    const o = cartesianOption({
      categories: ["1月", "2月"], axes: [{ integer: true }, { money: true }],
      series: [{ name: "订单数", kind: "bar", data: [1, 0] },
        { name: "金额", kind: "line", data: [100, 0], axis: 1, money: true }],
    }) as AnyOption;
    expect(o.xAxis.data).toEqual(["1月", "2月"]);
    expect(o.yAxis).toHaveLength(2);
    expect(o.yAxis[0].minInterval).toBe(1);
    expect(o.series.map((s: AnyOption) => [s.type, s.yAxisIndex])).toEqual([["bar", 0], ["line", 1]]);
    expect(o.series[1].tooltip.valueFormatter(1234.5)).toBe("¥1,234.50");
    expect(o.legend.show).not.toBe(false);
    expect(o.title.show).toBe(false);
  });

  it("lays categories down the side when horizontal", () => {
    const o = cartesianOption({ horizontal: true, labels: true, categories: ["A"],
      series: [{ name: "x", kind: "bar", data: [3] }] }) as AnyOption;
    expect(o.yAxis.type).toBe("category");
    expect(o.xAxis[0].type).toBe("value");
    expect(o.series[0].xAxisIndex).toBe(0);
    expect(o.series[0].label.position).toBe("right");
    expect(o.legend.show).toBe(false);
  });

  it("says so over an empty chart", () => {
    const o = cartesianOption({ categories: ["1月"], empty: "暂无数据",
      series: [{ name: "x", kind: "bar", data: [0] }] }) as AnyOption;
    expect(o.title).toMatchObject({ show: true, text: "暂无数据" });
    const p = pieOption({ name: "等级", data: [], empty: "暂无数据" }) as AnyOption;
    expect(p.title.show).toBe(true);
    expect((pieOption({ name: "g", data: [{ name: "a", value: 2 }] }) as AnyOption).title.show).toBe(false);
  });

  it("writes amounts for people", () => {
    expect(moneyText(30300)).toBe("¥30,300.00");
    expect(moneyText(null)).toBe("—");
    expect(compactAmount(123456, "zh-CN")).toBe("12.3万");
    expect(compactAmount(250000000, "zh-CN")).toBe("2.5亿");
    expect(compactAmount(999, "zh-CN")).toBe("999");
    expect(compactAmount(123456, "en-US")).toBe("123.5k");
    expect(compactAmount(2500000, "en-US")).toBe("2.5M");
  });

  it("knows a series with nothing to draw", () => {
    expect(hasData([0, null, 0])).toBe(false);
    expect(hasData([0, 2])).toBe(true);
  });
});
