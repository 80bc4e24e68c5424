import { describe, expect, it } from "vitest";
import enUS from "./en-US.json";
import zhCN from "./zh-CN.json";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]);
}

describe("UI text", () => {
  it("has every key in both languages", () => {
    expect(keys(enUS).sort()).toEqual(keys(zhCN).sort());
  });

  it("is Chinese in the Chinese file", () => {
    const flat = keys(zhCN);
    expect(flat.length).toBeGreaterThan(300);
  });
});
