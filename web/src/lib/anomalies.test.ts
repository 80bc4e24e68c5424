import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { describeError } from "../api/errors";
import i18n from "../i18n";
import {
  anomalyQuery, cycleWords, DEFAULT_SORT, filtersFromSearch, filtersToSearch, overdueColor,
  PROCESSING_STATUSES, processingColor, sortFromTable, tableSortOrder,
} from "./anomalies";

describe("table 1's filters (A-3)", () => {
  it("reads the address and drops nonsense", () => {
    expect(filtersFromSearch(new URLSearchParams("area=华东&status=contacted&min_days=3&q=%20印美%20&sort=name")))
      .toEqual({ area: "华东", status: "contacted", minDays: 3, q: "印美", sort: "name" });
    expect(filtersFromSearch(new URLSearchParams("status=called&min_days=-2&sort=price&q=%20")))
      .toEqual({ area: undefined, status: undefined, minDays: undefined, q: undefined, sort: DEFAULT_SORT });
    expect(filtersFromSearch(new URLSearchParams("min_days=2.5")).minDays).toBeUndefined();
    expect(filtersFromSearch(new URLSearchParams("min_days=0")).minDays).toBeUndefined();
  });

  it("writes the address back without the defaults", () => {
    expect(filtersToSearch({ sort: DEFAULT_SORT }).toString()).toBe("");
    const f = { area: " 华东 ", status: "open" as const, minDays: 7, q: "印", sort: "-last_order_date" as const };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual({ ...f, area: "华东" });
  });

  it("asks the API for one page", () => {
    expect(anomalyQuery({ area: " ", q: " 印美 ", minDays: 3, sort: DEFAULT_SORT }, 3, 20)).toEqual({
      area: undefined, status: undefined, min_days: 3, q: "印美", sort: "-days_overdue", limit: 20, offset: 40 });
    expect(anomalyQuery({ sort: "name" }, 0, 50).offset).toBe(0);
  });
});

describe("table 1's sorts (A-3)", () => {
  it("turns a column's sort into the API's and back", () => {
    expect(sortFromTable("days_overdue", "descend")).toBe("-days_overdue");
    expect(sortFromTable("last_order_date", "ascend")).toBe("last_order_date");
    expect(sortFromTable("usual_value", "ascend")).toBe(DEFAULT_SORT);
    expect(sortFromTable(undefined, null)).toBe(DEFAULT_SORT);
    expect(tableSortOrder("-days_overdue", "days_overdue")).toBe("descend");
    expect(tableSortOrder("name", "name")).toBe("ascend");
    expect(tableSortOrder("name", "days_overdue")).toBeNull();
  });
});

describe("tags and words (A-3, B-6)", () => {
  it("colours the processing status and the days overdue", () => {
    expect(processingColor("open")).toBe("red");
    expect(processingColor("resolved")).toBe("success");
    expect(processingColor("unknown")).toBe("default");
    expect([1, 6, 7, 29, 30, 400].map(overdueColor)).toEqual(["gold", "gold", "orange", "orange", "red", "red"]);
  });

  it("says a cycle in words", () => {
    expect(cycleWords({ kind: "days", days: 7 })).toEqual(["anomalies.cycle.days", { n: 7 }]);
    expect(cycleWords({ kind: "weekday", weekday: 5 })).toEqual(["anomalies.cycle.weekday", { day: 5 }]);
    expect(cycleWords(null)).toEqual(["anomalies.cycle.none", {}]);
  });
});

describe("in both languages (A-3, B-6)", () => {
  it("names every processing status and a cycle", () => {
    const zh = i18n.getFixedT("zh-CN");
    const en = i18n.getFixedT("en-US");
    expect(PROCESSING_STATUSES.map((s) => zh(`anomalies.processing.${s}`)))
      .toEqual(["未处理", "已联系", "将下单", "已流失", "已解决"]);
    expect(PROCESSING_STATUSES.map((s) => en(`anomalies.processing.${s}`)))
      .toEqual(["Open", "Contacted", "Will order", "Lost", "Resolved"]);
    const [key, values] = cycleWords({ kind: "days", days: 7 });
    expect(zh(key, values)).toBe("每 7 天");
    expect(zh("anomalies.cycle.weekday", { day: zh("weekday.5") })).toBe("每周五");
  });

  it("explains a follow-up of a customer that is not overdue (409)", () => {
    const err = new ApiError(409, { error: "NotOverdue", detail: "This customer is not overdue (it is "
      + "within its ordering cycle), so there is nothing to follow up" });
    expect(describeError(err, i18n.getFixedT("zh-CN"), "zh-CN")).toBe("客户当前没有超过订货周期，无需记录跟进");
  });
});
