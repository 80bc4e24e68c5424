import { Progress, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../../api/client";
import { compareAmounts, formatShare, sharePercent } from "../../../lib/analysis";
import { Money } from "../../../shared/ui";

type Row = Schemas["CustomerAmount"] & { rank: number };

/** Customers with their amount, orders and share, ranked as the API sent them (largest
 *  first); every column but the customer sorts. */
export function CustomerAmounts({ rows, loading, testId, empty, amountTitle, shareTitle }: {
  rows: Schemas["CustomerAmount"][] | undefined; loading: boolean; testId: string; empty: string;
  amountTitle?: string; shareTitle?: string;
}) {
  const { t } = useTranslation();
  const ranked: Row[] | undefined = rows?.map((r, i) => ({ ...r, rank: i + 1 }));
  return (
    <Table<Row> rowKey="customer_id" size="middle" loading={loading} dataSource={ranked}
      data-testid={testId} locale={{ emptyText: empty }} scroll={{ x: 760 }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false,
        showTotal: (n) => t("common.total", { n }) }}
      columns={[
        { title: t("analysis.customers.rank"), dataIndex: "rank", width: 70, align: "right",
          sorter: (a, b) => a.rank - b.rank },
        { title: t("analysis.customers.customer"), key: "customer", ellipsis: true,
          render: (_: unknown, r: Row) => (
            <span title={`${r.customer_number ?? ""} ${r.name}`.trim()} data-testid="customer-cell">
              {r.customer_number && <Typography.Text type="secondary">{r.customer_number} </Typography.Text>}
              {r.name}
            </span>) },
        { title: t("analysis.customers.area"), dataIndex: "area", width: 100, ellipsis: true,
          render: (v: string | null) => v ?? "—" },
        { title: t("analysis.customers.orders"), dataIndex: "orders", width: 90, align: "right",
          sorter: (a, b) => a.orders - b.orders },
        { title: amountTitle ?? t("analysis.customers.amount"), dataIndex: "amount", width: 140, align: "right",
          sorter: (a, b) => compareAmounts(a.amount, b.amount),
          render: (v: string) => <span data-testid="amount-cell"><Money value={v} /></span> },
        { title: shareTitle ?? t("analysis.customers.share"), dataIndex: "share", width: 170,
          sorter: (a, b) => Number(a.share) - Number(b.share),
          render: (v: string) => <Progress percent={sharePercent(v)} size="small" format={() => formatShare(v)} /> },
      ]} />
  );
}
