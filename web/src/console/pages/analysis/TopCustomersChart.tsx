/** The period's ten largest customers by amount as a bar chart (the shared chart
 *  components, X-4; ECharts loads on demand and the customer table beside it stays the
 *  fallback). */
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../../api/client";
import { topByAmount } from "../../../lib/analysis";
import { Chart } from "../../../shared/charts/Chart";
import { cartesianOption } from "../../../shared/charts/options";

export default function TopCustomersChart({ customers }: { customers: Schemas["CustomerAmount"][] }) {
  const { t, i18n } = useTranslation();
  // largest at the top: a category axis draws its first entry at the bottom
  const top = topByAmount(customers, 10).reverse();
  const option = cartesianOption({
    horizontal: true, labels: true, lang: i18n.language,
    categories: top.map((c) => c.name),
    axes: [{ name: t("analysis.chart.axis"), money: true }],
    series: [{ name: t("analysis.chart.series"), kind: "bar", money: true, color: "#1677ff",
      data: top.map((c) => Number(c.amount)) }],
  });
  return (
    <div data-testid="top-customers-chart">
      <Chart option={option} height={Math.max(180, 60 + top.length * 36)} />
    </div>
  );
}
