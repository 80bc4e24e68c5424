/**
 * ECharts options built from plain figures (X-4), shared by every chart of the console
 * (the dashboards, the summaries, the maintenance workload). Pure: nothing here imports
 * ECharts, so a page builds its options without loading the charts' chunk; `<Chart>`
 * (./Chart) draws them.
 */
import { yuan } from "../../lib/money";

/** An ECharts option object (kept loose: the builders below are what the app uses). */
export type ChartOption = Record<string, unknown>;

/** A value; null draws nothing (a gap). */
export type Value = number | null;

export interface CartesianSeries {
  name: string;
  kind: "bar" | "line";
  data: Value[];
  /** The value axis it is measured on: 0 (left/bottom, default) or 1 (right/top). */
  axis?: 0 | 1;
  /** Values are yuan: tooltips and labels show "¥1,234.50". */
  money?: boolean;
  color?: string;
}

export interface ValueAxis {
  name?: string;
  /** Yuan: the axis shows compact amounts (1.2万 / 12k). */
  money?: boolean;
  /** Counts: no fractional ticks. */
  integer?: boolean;
}

export interface CartesianSpec {
  categories: string[];
  series: CartesianSeries[];
  /** The value axes: the first on the left (bottom when horizontal), a second opposite. */
  axes?: ValueAxis[];
  /** Categories down the side, bars to the right (the caller puts the first at the end:
   *  a category axis draws its first entry at the bottom). */
  horizontal?: boolean;
  /** The values written at the ends of the bars. */
  labels?: boolean;
  /** Shown over the chart when there is nothing to draw. */
  empty?: string;
  /** "zh-CN" or "en-US": how compact amounts read on the axes. */
  lang?: string;
}

export interface PieSpec {
  name: string;
  data: { name: string; value: number }[];
  money?: boolean;
  empty?: string;
}

const EMPTY_TEXT = { color: "#8c8c8c", fontSize: 14, fontWeight: "normal" };
// Short: a chart drawn after its data loaded should not keep moving for long.
const ANIMATION = { animationDuration: 400, animationDurationUpdate: 300 };

/** "¥1,234.50" of a chart's number (a chart's values are numbers; the tables keep the
 *  API's exact strings). */
export function moneyText(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return "—";
  return yuan(value.toFixed(2));
}

/** An axis label for an amount: 1.2万 / 3亿 in Chinese, 12k / 3.4M in English. */
export function compactAmount(value: number, lang = "zh-CN"): string {
  const abs = Math.abs(value);
  const trim = (n: number) => String(Number(n.toFixed(1)));
  if (lang.startsWith("zh")) {
    if (abs >= 1e8) return `${trim(value / 1e8)}亿`;
    if (abs >= 1e4) return `${trim(value / 1e4)}万`;
    return String(Number(value.toFixed(2)));
  }
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return String(Number(value.toFixed(2)));
}

/** Whether a chart has anything to draw (all zeros or gaps: nothing). */
export function hasData(values: readonly Value[]): boolean {
  return values.some((v) => v != null && v !== 0);
}

function emptyTitle(empty: string | undefined, show: boolean) {
  return { show: Boolean(empty) && show, text: empty ?? "", left: "center", top: "middle",
    textStyle: EMPTY_TEXT };
}

/** Bars and lines over categories (months, areas, models …), on one or two value axes. */
export function cartesianOption(spec: CartesianSpec): ChartOption {
  const { categories, series, horizontal = false, labels = false, lang } = spec;
  const axes = spec.axes?.length ? spec.axes : [{}];
  const legend = series.length > 1;
  const valueAxes = axes.map((a, i) => ({
    type: "value", name: a.name, minInterval: a.integer ? 1 : undefined,
    position: horizontal ? (i ? "top" : "bottom") : (i ? "right" : "left"),
    // across the bottom of a horizontal chart the name sits under the axis, centred
    nameLocation: horizontal ? "middle" : "end", nameGap: horizontal ? 28 : 12,
    nameTextStyle: { align: horizontal ? undefined : (i ? "right" : "left") },
    axisLabel: { hideOverlap: true,
      formatter: a.money ? (v: number) => compactAmount(v, lang) : undefined },
    // a second axis draws no grid lines of its own across the first's
    splitLine: { show: i === 0 },
  }));
  const categoryAxis = {
    type: "category", data: categories,
    axisLabel: horizontal ? { width: 140, overflow: "truncate" } : { hideOverlap: true },
  };
  return {
    ...ANIMATION,
    title: emptyTitle(spec.empty, !series.some((s) => hasData(s.data))),
    tooltip: { trigger: "axis", axisPointer: { type: horizontal ? "shadow" : "line" } },
    // ECharts 6 puts legends at the bottom by default, over the axis labels
    legend: legend ? { top: 0, type: "scroll" } : { show: false },
    grid: { left: 8, right: horizontal && labels ? 80 : 16,
      // room for the legend, and above it for the names over the value axes
      top: (legend ? 32 : 16) + (!horizontal && axes.some((a) => a.name) ? 28 : 0),
      bottom: horizontal && axes[0].name ? 36 : 8, containLabel: true },
    xAxis: horizontal ? valueAxes : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxes,
    series: series.map((s) => ({
      name: s.name, type: s.kind, data: s.data,
      [horizontal ? "xAxisIndex" : "yAxisIndex"]: Math.min(s.axis ?? 0, axes.length - 1),
      barMaxWidth: 28, smooth: s.kind === "line" ? false : undefined,
      showSymbol: s.kind === "line" ? s.data.length <= 40 : undefined,
      itemStyle: s.color ? { color: s.color } : undefined,
      tooltip: { valueFormatter: s.money ? (v: number) => moneyText(v) : undefined },
      label: labels ? { show: true, position: horizontal ? "right" : "top",
        formatter: s.money ? ({ value }: { value: number }) => moneyText(value) : undefined } : undefined,
    })),
  };
}

/** Parts of a whole as a ring (grades, categories …). */
export function pieOption(spec: PieSpec): ChartOption {
  const total = spec.data.reduce((sum, d) => sum + d.value, 0);
  return {
    ...ANIMATION,
    title: emptyTitle(spec.empty, total <= 0),
    tooltip: { trigger: "item",
      formatter: spec.money
        ? ({ name, value, percent }: { name: string; value: number; percent: number }) =>
          `${name}: ${moneyText(value)} (${percent}%)`
        : "{b}: {c} ({d}%)" },
    legend: { type: "scroll", bottom: 0 },
    series: [{
      name: spec.name, type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
      avoidLabelOverlap: true, label: { formatter: "{b}: {c}" },
      data: spec.data,
    }],
  };
}
