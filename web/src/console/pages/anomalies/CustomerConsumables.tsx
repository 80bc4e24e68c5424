import { LockOutlined, UnlockOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, Result, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import type { Schemas } from "../../../api/client";
import { isSensitiveLocked } from "../../../lib/analysis";
import { CONSUMABLE_MONTHS } from "../../../lib/anomalies";
import { yuan } from "../../../lib/money";
import { useLoad } from "../../../shared/hooks";
import { ErrorAlert, Money } from "../../../shared/ui";
import { UnlockDialog } from "../analysis/UnlockDialog";

type Line = Schemas["ConsumableLine"];

/** 近一年耗材明细 (A-4, X-3): the customer's consumables of the last 12 months, newest
 *  first, behind the query password (the summaries' unlock dialog). */
export function CustomerConsumables({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [unlocking, setUnlocking] = useState(false);
  const lines = useLoad(() => unwrap(api.GET("/api/console/analysis/customers/{customer_id}/consumables", {
    params: { path: { customer_id: customerId }, query: { months: CONSUMABLE_MONTHS } } })), [customerId]);
  const locked = isSensitiveLocked(lines.error);
  const c = lines.error ? undefined : lines.data;

  return (
    <Card title={t("anomalies.consumables.title")} data-testid="customer-consumables"
      styles={{ body: locked ? undefined : { padding: 0 } }}
      extra={c && <Typography.Text type="secondary" data-testid="consumables-summary">
        {t("anomalies.consumables.period", { from: c.from, to: c.to })} ·{" "}
        {t("anomalies.consumables.total", { quantity: c.total_quantity, amount: yuan(c.total_amount) })}</Typography.Text>}>
      {locked ? (
        <Result icon={<LockOutlined />} status="warning" title={t("anomalies.consumables.lockedTitle")}
          subTitle={t("anomalies.consumables.lockedText")} data-testid="consumables-locked"
          extra={<Button type="primary" icon={<UnlockOutlined />} onClick={() => setUnlocking(true)}>
            {t("anomalies.consumables.unlock")}</Button>} />
      ) : (<>
        <ErrorAlert error={lines.error} />
        <Table<Line> rowKey={(l, i) => `${l.order_number}-${l.model}-${i}`} loading={lines.loading}
          dataSource={c?.lines} size="small" scroll={{ x: 700 }} data-testid="consumables-lines"
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <Empty description={t("anomalies.consumables.empty")} /> }}
          columns={[
            { title: t("anomalies.consumables.date"), dataIndex: "order_date", width: 120 },
            { title: t("anomalies.consumables.number"), dataIndex: "order_number", width: 170 },
            { title: t("anomalies.consumables.model"), dataIndex: "model", ellipsis: true },
            { title: t("anomalies.consumables.name"), dataIndex: "name", ellipsis: true },
            { title: t("anomalies.consumables.quantity"), dataIndex: "quantity", align: "right", width: 90 },
            { title: t("anomalies.consumables.amount"), dataIndex: "amount", align: "right", width: 130,
              render: (v: string) => <Money value={v} /> },
          ]} />
      </>)}
      <UnlockDialog open={unlocking} onClose={() => setUnlocking(false)} onUnlocked={() => {
        setUnlocking(false);
        void message.success(t("analysis.unlock.done"));
        lines.reload();
      }} />
    </Card>
  );
}
