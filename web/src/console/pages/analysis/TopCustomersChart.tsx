/** The period's ten largest customers by amount as an ECharts bar chart (loaded on
 *  demand; the customer table beside it stays the fallback). */
import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/lib/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../../api/client";
import { topByAmount } from "../../../lib/analysis";
import { yuan } from "../../../lib/money";

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function TopCustomersChart({ customers }: { customers: Schemas["CustomerAmount"][] }) {
  const { t } = useTranslation();
  // largest at the top: a category axis draws its first entry at the bottom
  const top = topByAmount(customers, 10).reverse();
  const option = {
    tooltip: {
      trigger: "axis", axisPointer: { type: "shadow" },
      valueFormatter: (v: number) => yuan(v.toFixed(2)),
    },
    grid: { left: 8, right: 72, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: "value", name: t("analysis.chart.axis"), nameLocation: "middle", nameGap: 24,
      axisLabel: { hideOverlap: true } },
    yAxis: { type: "category", data: top.map((c) => c.name),
      axisLabel: { width: 140, overflow: "truncate" } },
    series: [{
      name: t("analysis.chart.series"), type: "bar", barMaxWidth: 28, data: top.map((c) => Number(c.amount)),
      label: { show: true, position: "right", formatter: ({ value }: { value: number }) => yuan(value.toFixed(2)) },
      itemStyle: { color: "#1677ff" },
    }],
  };
  return (
    <div data-testid="top-customers-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge
        style={{ height: Math.max(180, 60 + top.length * 36) }} />
    </div>
  );
}
