import { Spin } from "antd";
import { Component, lazy, Suspense } from "react";
import type { ErrorInfo, ReactNode } from "react";
import type { ChartOption } from "./options";
import { canDrawCharts } from "./support";

const EChart = lazy(() => import("./EChart"));

/** Shows `fallback` instead of a chart that failed: its chunk did not load, or drawing
 *  it threw. */
class ChartBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn("chart not drawn, showing its table", error, info.componentStack);
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** One ECharts chart of `option` (see ./options), loaded on demand in the charts' own
 *  chunk. Where it cannot be drawn (no canvas, the chunk failed, ECharts threw) the
 *  `fallback` shows instead: the same figures as a table (X-4). */
export function Chart({ option, height = 300, fallback = null, testId }:
    { option: ChartOption; height?: number; fallback?: ReactNode; testId?: string }) {
  if (!canDrawCharts()) return <>{fallback}</>;
  return (
    <div data-testid={testId} className="chart" style={{ minHeight: height }}>
      <ChartBoundary fallback={fallback}>
        <Suspense fallback={<div style={{ height, display: "grid", placeItems: "center" }}><Spin /></div>}>
          <EChart option={option} height={height} />
        </Suspense>
      </ChartBoundary>
    </div>
  );
}
