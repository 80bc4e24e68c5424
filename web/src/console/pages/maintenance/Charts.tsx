/** The statistics as ECharts charts (loaded on demand; the tables beside them stay the
 *  fallback): the monthly workload as bars and the records by category as a pie. */
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/lib/core";
import { useTranslation } from "react-i18next";
import { monthlySeries } from "../../../lib/maintenance";
import type { Stats } from "./StatsPanel";

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default function Charts({ stats }: { stats: Stats }) {
  const { t } = useTranslation();
  const s = monthlySeries(stats.year, stats.by_month);
  const monthly = {
    tooltip: { trigger: "axis" },
    // ECharts 6 puts legends at the bottom by default, over the months
    legend: { top: 0, data: [t("maintenance.stats.customers"), t("maintenance.stats.repairs"), t("maintenance.stats.returnVisits")] },
    grid: { left: 40, right: 16, bottom: 30, top: 40 },
    xAxis: { type: "category", data: s.months.map((m) => t("maintenance.stats.monthShort", { n: Number(m.slice(5)) })) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: t("maintenance.stats.customers"), type: "bar", data: s.customers },
      { name: t("maintenance.stats.repairs"), type: "bar", data: s.repairs },
      { name: t("maintenance.stats.returnVisits"), type: "bar", data: s.returnVisits },
    ],
  };
  const byCategory = {
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    legend: { type: "scroll", bottom: 0 },
    series: [{
      name: t("maintenance.stats.byCategory"), type: "pie", radius: ["35%", "65%"],
      data: stats.by_category.map((c) => ({ name: c.name ?? t("maintenance.stats.uncategorised"), value: c.records })),
    }],
  };
  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))" }}
      data-testid="maintenance-charts">
      <ReactEChartsCore echarts={echarts} option={monthly} style={{ height: 300 }} notMerge />
      <ReactEChartsCore echarts={echarts} option={byCategory} style={{ height: 300 }} notMerge />
    </div>
  );
}
