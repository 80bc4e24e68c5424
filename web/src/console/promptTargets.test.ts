import { describe, expect, it } from "vitest";
import openapi from "../api/openapi.json";
import enUS from "../i18n/en-US.json";
import zhCN from "../i18n/zh-CN.json";
import { targetOf } from "./promptTargets";

/** Every kind of staff prompt the notify service can produce (its PromptKind enum). */
const KINDS: string[] = (openapi as { components: { schemas: Record<string, { enum?: string[] }> } })
  .components.schemas.PromptKind.enum ?? [];
// Prompts whose subject has no console page yet.
const NO_PAGE = new Set<string>();

describe("staff prompts read as words and lead somewhere (N-3)", () => {
  it("knows the kinds", () => {
    expect(KINDS.length).toBeGreaterThan(10);
  });

  it.each(KINDS)("%s has a label in both languages", (kind) => {
    expect((zhCN.prompt.kind as Record<string, string>)[kind]).toBeTruthy();
    expect((enUS.prompt.kind as Record<string, string>)[kind]).toBeTruthy();
  });

  it.each(KINDS.filter((k) => !NO_PAGE.has(k)))("%s opens a page", (kind) => {
    const target = targetOf({ kind, data: { customer_id: "c1" } } as unknown as Parameters<typeof targetOf>[0]);
    expect(target).not.toBe("/");
  });

  it("opens the disputed statement of that customer and month (B-1)", () => {
    const prompt = (kind: string, data: Record<string, unknown>) =>
      ({ kind, data }) as unknown as Parameters<typeof targetOf>[0];
    expect(targetOf(prompt("statement_disputed", { customer_id: "c1", month: "2026-11" })))
      .toBe("/statements/c1?month=2026-11");
    expect(targetOf(prompt("statement_confirmed", {}))).toBe("/statements");
  });

  it("opens the fault report a prompt is about (S-1)", () => {
    const prompt = (kind: string, data: Record<string, unknown>) =>
      ({ kind, data }) as unknown as Parameters<typeof targetOf>[0];
    expect(targetOf(prompt("service_request", { request_id: "r1", customer_id: "c1" })))
      .toBe("/service-requests/r1");
    expect(targetOf(prompt("service_request_replied", { request_id: "r2" })))
      .toBe("/service-requests/r2");
    expect(targetOf(prompt("service_request", {}))).toBe("/service-requests");
  });
});
