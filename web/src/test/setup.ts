import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import "../i18n";

afterEach(() => cleanup());
// findBy*/waitFor give up after 1 s by default: too short for antd renders on a loaded
// 2-core machine (CI shares it); a hang is still caught by the per-test limit.
configure({ asyncUtilTimeout: 15000 });

// jsdom lacks what Ant Design measures with.
if (!window.matchMedia) {
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    value: (query: string) => ({
      matches: false, media: query, onchange: null,
      addListener: () => {}, removeListener: () => {},
      addEventListener: () => {}, removeEventListener: () => {}, dispatchEvent: () => false,
    }),
  });
}
class ResizeObserverStub { observe() {} unobserve() {} disconnect() {} }
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= ResizeObserverStub;
const style = window.getComputedStyle;
window.getComputedStyle = (elt: Element) => style(elt);
