/** ECharts itself, in its own chunk (loaded the first time a chart is shown): the chart
 *  types and components the app's options use, drawn on a canvas. */
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/lib/core";
import type { ChartOption } from "./options";

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent,
  TooltipComponent, CanvasRenderer]);

export default function EChart({ option, height }: { option: ChartOption; height: number }) {
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height }} />;
}
