import { Alert, Card, Select, Skeleton } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { NewOrderPage } from "../../portal/pages/NewOrderPage";

/** Staff self-entry of an order for a chosen customer (O-1): marked as staff-entered. */
export function OrderEntryPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const [customerId, setCustomerId] = useState<string>();
  const customers = useLoad(() => unwrapList(api.GET("/api/console/customers", { params: { query: {
    status: "approved", q: q || undefined, limit: 50 } } })), [q]);
  const detail = useLoad(() => customerId
    ? unwrap(api.GET("/api/console/customers/{customer_id}", { params: { path: { customer_id: customerId } } }))
    : Promise.resolve(undefined), [customerId]);
  const staffFor = useMemo(() => detail.data && detail.data.customer_id === customerId ? {
    id: detail.data.customer_id, name: detail.data.name,
    catalog: detail.data.catalog.filter((l) => l.product_active),
  } : undefined, [detail.data, customerId]);
  return (
    <>
      <PageTitle title={t("lc.entryTitle")} sub={t("lc.entrySub")} />
      <Card style={{ marginBottom: 16 }}>
        <Select showSearch allowClear filterOption={false} style={{ width: "100%", maxWidth: 480 }}
          placeholder={t("lc.chooseCustomer")} aria-label={t("lc.chooseCustomer")}
          value={customerId} onChange={setCustomerId} onSearch={setQ} loading={customers.loading}
          options={(customers.data?.items ?? []).map((c) => ({ value: c.customer_id, label: `${c.name}${c.customer_number ? ` (${c.customer_number})` : ""}` }))} />
      </Card>
      <ErrorAlert error={customers.error ?? detail.error} />
      {!customerId ? <Alert type="info" showIcon message={t("lc.chooseCustomerFirst")} />
        : !staffFor ? <Skeleton active /> : <NewOrderPage key={staffFor.id} staffFor={staffFor} />}
    </>
  );
}
