import { describe, expect, it } from "vitest";
import { isKnownReason, pretty, serviceOptions, shortId, unavailableServices } from "./deadLetters";

describe("dead letters (B-7)", () => {
  it("shortens event ids and other keys", () => {
    expect(shortId("3f2a9c1e-1111-4222-8333-444455556666")).toBe("3f2a9c1e");
    expect(shortId("garbage-1")).toBe("garbage-1");
    expect(shortId("sha256:0123456789abcdef0123")).toBe("sha256:01234567…");
    expect(shortId(null)).toBe("—");
  });

  it("knows the API's reasons", () => {
    expect(isKnownReason("handler_failed")).toBe(true);
    expect(isKnownReason("something_else")).toBe(false);
  });

  it("indents JSON and keeps text", () => {
    expect(pretty({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(pretty("{broken")).toBe("{broken");
  });

  it("offers each service once with its open dead letters", () => {
    expect(serviceOptions([
      { service: "points", open: 2 }, { service: "finance", open: 0 }, { service: "points", open: 1 },
    ])).toEqual([{ value: "finance", open: 0 }, { value: "points", open: 3 }]);
  });

  it("reads the services that did not answer", () => {
    expect(unavailableServices("points, notify")).toEqual(["points", "notify"]);
    expect(unavailableServices(null)).toEqual([]);
  });
});
