import { describe, expect, it } from "vitest";
import enUS from "../i18n/en-US.json";
import zhCN from "../i18n/zh-CN.json";
import { MAX_PHOTO_BYTES, photoProblem, photosLeft, STAFF_TARGETS, STATUSES, UNFINISHED } from "./serviceRequests";

describe("photo checks before upload (S-1)", () => {
  it("takes JPEG, PNG and WebP up to 5 MB", () => {
    expect(photoProblem({ type: "image/jpeg", size: 1000 })).toBeNull();
    expect(photoProblem({ type: "image/png", size: MAX_PHOTO_BYTES })).toBeNull();
    expect(photoProblem({ type: "image/webp", size: 10 })).toBeNull();
  });
  it("refuses other types, empty and too large files", () => {
    expect(photoProblem({ type: "text/plain", size: 10 })).toBe("type");
    expect(photoProblem({ type: "image/gif", size: 10 })).toBe("type");
    expect(photoProblem({ type: "", size: 10 })).toBe("type");
    expect(photoProblem({ type: "image/jpeg", size: 0 })).toBe("empty");
    expect(photoProblem({ type: "image/jpeg", size: MAX_PHOTO_BYTES + 1 })).toBe("size");
  });
  it("counts what is left of six", () => {
    expect(photosLeft(0)).toBe(6);
    expect(photosLeft(5)).toBe(1);
    expect(photosLeft(7)).toBe(0);
  });
});

describe("statuses read as words (S-1)", () => {
  it.each(STATUSES)("%s has a label in both languages", (status) => {
    expect((zhCN.service.status as Record<string, string>)[status]).toBeTruthy();
    expect((enUS.service.status as Record<string, string>)[status]).toBeTruthy();
  });
  it("queues unfinished work by default and lets staff move to working statuses", () => {
    expect(UNFINISHED).toEqual(["open", "in_progress", "waiting_for_customer"]);
    expect([...STAFF_TARGETS]).toEqual(["in_progress", "waiting_for_customer", "resolved"]);
  });
});
