import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ChartPanel } from "./ChartPanel";
import { cartesianOption } from "./options";

describe("a chart that cannot be drawn (X-4)", () => {
  it("shows its table instead, with no toggle to a chart", () => {
    // jsdom has no canvas: the situation of a browser that cannot draw the chart
    render(<ChartPanel title="每月订单数" testId="panel"
      option={cartesianOption({ categories: ["1月"], series: [{ name: "订单数", kind: "bar", data: [3] }] })}
      table={<table><tbody><tr><td>1月</td><td>3</td></tr></tbody></table>} />);
    expect(screen.getByTestId("panel")).toHaveTextContent("每月订单数");
    expect(screen.getByTestId("chart-table")).toHaveTextContent("1月3");
    expect(screen.queryByTestId("chart-toggle")).toBeNull();
    expect(screen.queryByTestId("chart")).toBeNull();
  });
});
