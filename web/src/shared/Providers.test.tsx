import { render, screen } from "@testing-library/react";
import { theme } from "antd";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Providers } from "./Providers";

function prefersReducedMotion(reduce: boolean) {
  vi.spyOn(window, "matchMedia").mockImplementation((query: string) => ({
    matches: reduce && query.includes("prefers-reduced-motion"), media: query,
    onchange: null, addListener: () => {}, removeListener: () => {},
    addEventListener: () => {}, removeEventListener: () => {}, dispatchEvent: () => false,
  }));
}

function Motion() {
  const { token } = theme.useToken();
  return <span data-testid="motion">{String(token.motion)}</span>;
}

describe("Providers: reduced motion (accessibility)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("turns Ant Design's animations off when the user prefers reduced motion", () => {
    prefersReducedMotion(true);
    render(<Providers><Motion /></Providers>);
    expect(screen.getByTestId("motion").textContent).toBe("false");
  });

  it("keeps them otherwise", () => {
    prefersReducedMotion(false);
    render(<Providers><Motion /></Providers>);
    expect(screen.getByTestId("motion").textContent).toBe("true");
  });
});
