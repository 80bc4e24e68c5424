import { RedoOutlined } from "@ant-design/icons";
import { App, Button, Card, Select, Space, Table, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, DELIVERY_TEMPLATES } from "../../lib/messages";
import type { DeliveryChannel, DeliveryStatus } from "../../lib/messages";
import { when } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useUrlFilters } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";
import { ChannelTag, DeliveryStatusTag } from "../DeliveryTags";

type Delivery = Schemas["DeliveryOut"];

/** The delivery log (N-2): every SMS, WeChat message and e-mail the external notifier was
 *  asked to send (reminders, staff messages, password resets), its status, attempts and
 *  last error; a failed one can be sent again. Filters by status, channel, template,
 *  customer (and a batch, from the messages page) live in the address. */
export function DeliveriesPage() {
  const { t, i18n } = useTranslation();
  const english = !i18n.language.startsWith("zh");
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const canRetry = has(me?.permissions, "messages:entry");
  const { params, update } = useUrlFilters();
  const status = (params.get("status") ?? undefined) as DeliveryStatus | undefined;
  const channel = (params.get("channel") ?? undefined) as DeliveryChannel | undefined;
  const template = params.get("template") ?? undefined;
  const customerId = params.get("customer_id") ?? undefined;
  const batchId = params.get("batch_id") ?? undefined;
  const page = Number(params.get("page") ?? 1) || 1;
  const [retrying, setRetrying] = useState<string>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/deliveries", { params: { query: {
    status, channel, template, customer_id: customerId, batch_id: batchId,
    limit: pageSize, offset: (page - 1) * pageSize } } })), [status, channel, template, customerId, batchId, page]);

  const set = (key: string, value: string | undefined) => update({ [key]: value });

  const retry = async (d: Delivery) => {
    setRetrying(d.id);
    try {
      await unwrap(api.POST("/api/console/deliveries/{delivery_id}/retry", { params: { path: { delivery_id: d.id } } }));
      void message.success(t("deliveries.retried"));
      list.reload();
    } catch (err) {
      report(err);
      list.reload();
    } finally {
      setRetrying(undefined);
    }
  };

  return (
    <>
      <PageTitle title={t("deliveries.title")} sub={t("deliveries.sub")}
        extra={<Button onClick={list.reload}>{t("common.refresh")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<DeliveryStatus> allowClear placeholder={t("deliveries.status")} style={{ width: 140 }} value={status}
            data-testid="filter-status" onChange={(v) => set("status", v)}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveryStatus.${s}`) }))} />
          <Select<DeliveryChannel> allowClear placeholder={t("deliveries.channel")} style={{ width: 120 }} value={channel}
            data-testid="filter-channel" onChange={(v) => set("channel", v)}
            options={DELIVERY_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          <Select<string> allowClear placeholder={t("deliveries.template")} style={{ width: 150 }} value={template}
            data-testid="filter-template" onChange={(v) => set("template", v)}
            options={DELIVERY_TEMPLATES.map((c) => ({ value: c, label: t(`template.${c}`) }))} />
          <CustomerSelect style={{ width: 280 }} value={customerId} data-testid="filter-customer"
            onChange={(v) => set("customer_id", typeof v === "string" ? v : undefined)} />
          {batchId && <Button size="small" onClick={() => set("batch_id", undefined)}>
            {t("deliveries.oneBatch")} ✕</Button>}
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Delivery>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1500 }}
          expandable={{ expandedRowRender: (d) => <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>
            {english ? d.text_en : d.text}</Typography.Paragraph> }}
          pagination={{ current: page, pageSize, total: list.data?.total, showSizeChanger: false,
            onChange: (p) => set("page", p > 1 ? String(p) : undefined), showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("deliveries.time"), dataIndex: "created_at", width: 140, render: (v: string) => when(v) },
            ellipsisColumn<Delivery>({ title: t("field.customer"), key: "customer", width: 200,
              render: (_: unknown, d) => d.customer_id
                ? <Link to={`/customers/${d.customer_id}`}>{[d.customer_number, d.customer_name].filter(Boolean).join(" ") || d.customer_id}</Link>
                : "—" }),
            { title: t("deliveries.template"), dataIndex: "template", width: 110, render: (v: string) => t(`template.${v}`, v) },
            { title: t("deliveries.channel"), dataIndex: "channel", width: 80, render: (v: string) => <ChannelTag channel={v} /> },
            ellipsisColumn<Delivery>({ title: t("deliveries.recipient"), dataIndex: "recipient", width: 150, render: (v: string | null) => v ?? "—" }),
            { title: t("deliveries.status"), dataIndex: "status", width: 100, render: (v: string) => <DeliveryStatusTag status={v} /> },
            { title: t("deliveries.attempts"), dataIndex: "attempts", width: 90, align: "right" },
            { title: t("deliveries.lastError"), dataIndex: "last_error", width: 220, ellipsis: { showTitle: false },
              render: (v: string | null) => v ? <Tooltip title={v}><Typography.Text type="danger">{v}</Typography.Text></Tooltip> : "—" },
            { title: t("deliveries.nextAttempt"), dataIndex: "next_attempt_at", width: 140, render: (v: string | null) => when(v) },
            { title: t("deliveries.deliveredAt"), dataIndex: "delivered_at", width: 140, render: (v: string | null) => when(v) },
            ...(canRetry ? [{ title: t("common.actions"), key: "a", width: 90, fixed: "right" as const,
              render: (_: unknown, d: Delivery) => d.can_retry && (
                <Button size="small" icon={<RedoOutlined />} loading={retrying === d.id}
                  onClick={() => void retry(d)}>{t("deliveries.retry")}</Button>) }] : []),
          ]}
        />
      </Card>
    </>
  );
}
