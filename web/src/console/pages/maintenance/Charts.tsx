/** The statistics as charts (the shared chart components, X-4; ECharts loads on demand
 *  and the tables beside them stay the fallback): the monthly workload as bars and the
 *  records by category as a pie. */
import { useTranslation } from "react-i18next";
import { monthlySeries } from "../../../lib/maintenance";
import { Chart } from "../../../shared/charts/Chart";
import { cartesianOption, pieOption } from "../../../shared/charts/options";
import type { Stats } from "./StatsPanel";

export default function Charts({ stats }: { stats: Stats }) {
  const { t } = useTranslation();
  const s = monthlySeries(stats.year, stats.by_month);
  const monthly = cartesianOption({
    categories: s.months.map((m) => t("maintenance.stats.monthShort", { n: Number(m.slice(5)) })),
    axes: [{ integer: true }],
    series: [
      { name: t("maintenance.stats.customers"), kind: "bar", data: s.customers },
      { name: t("maintenance.stats.repairs"), kind: "bar", data: s.repairs },
      { name: t("maintenance.stats.returnVisits"), kind: "bar", data: s.returnVisits },
    ],
  });
  const byCategory = pieOption({
    name: t("maintenance.stats.byCategory"),
    data: stats.by_category.map((c) => ({ name: c.name ?? t("maintenance.stats.uncategorised"), value: c.records })),
  });
  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))" }}
      data-testid="maintenance-charts">
      <Chart option={monthly} />
      <Chart option={byCategory} />
    </div>
  );
}
