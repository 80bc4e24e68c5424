import { describe, expect, it } from "vitest";
import en from "../i18n/en-US.json";
import zh from "../i18n/zh-CN.json";
import openapi from "../api/openapi.json";
import { AUDIT_KINDS, auditOutcome, FAILURE_REASONS } from "./securityAudit";

type Labels = { securityAudit: { kind: Record<string, string>; reason: Record<string, string> } };

describe("security audit labels (X-3, issue 15)", () => {
  it("every event kind and failure reason has a label in both languages", () => {
    for (const dict of [zh as unknown as Labels, en as unknown as Labels]) {
      for (const k of AUDIT_KINDS) expect(dict.securityAudit.kind[k], k).toBeTruthy();
      for (const r of FAILURE_REASONS) expect(dict.securityAudit.reason[r], r).toBeTruthy();
    }
  });

  it("knows every kind the API documents for its type filter", () => {
    const op = (openapi as { paths: Record<string, { get?: { parameters?: { name: string; description?: string }[] } }> })
      .paths["/api/console/audit"].get;
    const described = op?.parameters?.find((p) => p.name === "type")?.description ?? "";
    const documented = described.split(/[,\s]+/).filter((w) => /^[a-z_]+$/.test(w));
    expect(documented.length).toBeGreaterThan(10);
    expect([...AUDIT_KINDS].sort()).toEqual([...new Set(documented)].sort());
  });

  it("failed and refused logins are failures, the rest succeed", () => {
    expect(auditOutcome("login_failed")).toBe("failure");
    expect(auditOutcome("account_locked")).toBe("failure");
    expect(auditOutcome("login_succeeded")).toBe("success");
  });
});
