import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PointsMarkdown, PointsStatusTag } from "./Points";
import { Providers } from "./Providers";

describe("the points description as Markdown (P-1)", () => {
  it("renders headings, lists and emphasis", () => {
    render(<Providers><PointsMarkdown content={"## 积分规则\n\n- 每 **20 元** 积 1 分\n- 满 100 分可用"} /></Providers>);
    expect(screen.getByRole("heading", { name: "积分规则" })).toBeInTheDocument();
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByText("20 元").tagName).toBe("STRONG");
  });

  it("opens links in a new tab without handing over this window", () => {
    render(<Providers><PointsMarkdown content="详见 [说明](https://example.com/points)" /></Providers>);
    const link = screen.getByRole("link", { name: "说明" });
    expect(link).toHaveAttribute("href", "https://example.com/points");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link.getAttribute("rel")).toContain("noopener");
    expect(link.getAttribute("rel")).toContain("noreferrer");
  });

  it("drops raw HTML and unsafe link targets", () => {
    const { container } = render(<Providers><PointsMarkdown
      content={"<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))"} /></Providers>);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.innerHTML).not.toContain("onerror");
    expect(screen.getByText("点我").getAttribute("href") ?? "").not.toContain("javascript");
  });
});

describe("a points status", () => {
  it("says why points were refused", () => {
    render(<Providers><PointsStatusTag status="refused" reason="insufficient" /></Providers>);
    expect(screen.getByText("未能使用：可用积分不足")).toBeInTheDocument();
  });

  it("is just the status while it is fine", () => {
    render(<Providers><PointsStatusTag status="redeemed" reason={null} /></Providers>);
    expect(screen.getByText("已抵扣")).toBeInTheDocument();
  });
});
