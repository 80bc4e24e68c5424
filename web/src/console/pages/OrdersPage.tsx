import { CheckOutlined, CloseOutlined, ExportOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Drawer, Form, Input, Modal, Segmented, Space, Table,
  Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { toCents } from "../../lib/money";
import type { ORDER_STATUSES } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { CreditHoldTag, ReleaseHoldButton } from "../../shared/credit";
import { useApiError, useLoad, useUrlFilters } from "../../shared/hooks";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";
import { ErrorAlert, Money, OrderStatusTag, PageTitle, PaymentStatusTag } from "../../shared/ui";

type Order = Schemas["OrderSummary"];
type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The queues of the page (?status=…): orders waiting for a (first or second) review,
 * either of them alone, cancellation requests, or every order. */
export const ORDER_QUEUES = ["review", "submitted", "pending_second_review", "cancellation_requested", "all"] as const;
export type OrderQueue = (typeof ORDER_QUEUES)[number];
const QUEUE_STATUSES: Record<OrderQueue, OrderStatus[] | undefined> = {
  review: ["submitted", "pending_second_review"],
  submitted: ["submitted"],
  pending_second_review: ["pending_second_review"],
  cancellation_requested: ["cancellation_requested"],
  all: undefined,
};
const REVIEWABLE: readonly string[] = ["submitted", "pending_second_review"];
const DAY = "YYYY-MM-DD";
const isDay = (v: string | null) => v && /^\d{4}-\d{2}-\d{2}$/.test(v) && dayjs(v, DAY).isValid() ? v : undefined;

/** The quick view of an order with a link to its own page (issue 15). */
export function OrderDrawer({ id, onClose, onChanged }: { id?: string; onClose: () => void; onChanged?: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={!!id} width={Math.min(960, window.innerWidth)} onClose={onClose} title={t("orders.detail")}
      destroyOnHidden extra={id && <Link to={`/orders/${id}`} data-testid="open-order-page">
        <ExportOutlined /> {t("orderSearch.openInPage")}</Link>}>
      {id && <ConsoleOrderDetail id={id} onChanged={onChanged} />}
    </Drawer>
  );
}

/** Orders to be processed (O-5): the ones waiting for review by default, batch approve or
 * reject; one search box (number, customer, product) and filters by date and area, all
 * kept in the address so a queue can be linked to (issue 15). */
export function OrdersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const { params, update: setFilters } = useUrlFilters();
  const queue: OrderQueue = (ORDER_QUEUES as readonly string[]).includes(params.get("status") ?? "")
    ? params.get("status") as OrderQueue : "review";
  const q = params.get("q")?.trim() || undefined;
  const from = isDay(params.get("from"));
  const to = isDay(params.get("to"));
  const areaBound = !!me?.areas?.length;
  const area = areaBound ? undefined : params.get("area")?.trim() || undefined;
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const [selected, setSelected] = useState<string[]>([]);
  const [viewing, setViewing] = useState<string>();
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/orders", { params: { query: {
    status: QUEUE_STATUSES[queue], q, from, to, area, limit: pageSize, offset: (page - 1) * pageSize,
  } } })), [queue, q, from, to, area, page]);
  /** Change some of the address's filters; any change but paging goes back to page 1. */
  const update = (changes: Record<string, string | undefined>) => {
    setFilters(changes);
    setSelected([]);
  };
  const canReview = has(me?.permissions, "orders:review");

  useEffect(() => {
    const again = (e: Event) => {
      if ((e as CustomEvent<{ kind: string }>).detail?.kind === "new_order") list.reload();
    };
    window.addEventListener("dinghuo:prompt", again);
    return () => window.removeEventListener("dinghuo:prompt", again);
  }, [list]);

  const review = async (decision: "approve" | "reject", reason?: string) => {
    setBusy(true);
    try {
      const out = await unwrap(api.POST("/api/console/orders/review", {
        body: { order_ids: selected, decision, reason: reason?.trim() || null },
      }));
      void message.success(t(decision === "approve" ? "ordersConsole.approved" : "ordersConsole.rejected",
        { n: out.reviewed.length }));
      setSelected([]);
      setRejecting(false);
      form.resetFields();
      list.reload();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t("ordersConsole.title")} sub={t("ordersConsole.sub")}
        extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>{t("common.refresh")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Space direction="vertical" size={12} style={{ width: "100%" }}>
          <Space wrap data-testid="order-search">
            <Input.Search key={`q-${q ?? ""}`} defaultValue={q} allowClear enterButton={<SearchOutlined />}
              placeholder={t("orderSearch.placeholder")} aria-label={t("orderSearch.label")}
              maxLength={100} style={{ width: 340 }} data-testid="order-search-q"
              onSearch={(v) => update({ q: v.trim() || undefined })} />
            <DatePicker.RangePicker allowEmpty={[true, true]} aria-label={t("orderSearch.period")}
              value={[from ? dayjs(from, DAY) : null, to ? dayjs(to, DAY) : null]}
              onChange={(v) => update({ from: v?.[0]?.format(DAY), to: v?.[1]?.format(DAY) })} />
            {!areaBound && (
              <Input.Search key={`area-${area ?? ""}`} defaultValue={area} allowClear maxLength={100}
                placeholder={t("orderSearch.area")} aria-label={t("orderSearch.area")} style={{ width: 180 }}
                data-testid="order-search-area" onSearch={(v) => update({ area: v.trim() || undefined })} />
            )}
            {(q || from || to || area) && (
              <Button onClick={() => update({ q: undefined, from: undefined, to: undefined, area: undefined })}>
                {t("lc.resetFilters")}</Button>
            )}
          </Space>
        <Space wrap style={{ width: "100%", justifyContent: "space-between" }}>
          <Segmented<OrderQueue> value={queue} data-testid="order-queue"
            onChange={(v) => update({ status: v === "review" ? undefined : v })}
            options={ORDER_QUEUES.map((s) => ({ value: s, label: t(`orderSearch.queue.${s}`) }))} />
          {canReview && (
            <Space wrap>
              <Typography.Text type="secondary">{t("ordersConsole.selected", { n: selected.length })}</Typography.Text>
              <Button type="primary" icon={<CheckOutlined />} disabled={!selected.length} loading={busy}
                onClick={() => void review("approve")}>{t("ordersConsole.batchApprove")}</Button>
              <Button danger icon={<CloseOutlined />} disabled={!selected.length}
                onClick={() => setRejecting(true)}>{t("ordersConsole.batchReject")}</Button>
            </Space>
          )}
        </Space>
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Order>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          rowSelection={canReview ? {
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys as string[]),
            getCheckboxProps: (o) => ({ disabled: !REVIEWABLE.includes(o.status), name: o.number }),
          } : undefined}
          pagination={{ current: page, pageSize, total: list.data?.total, showSizeChanger: false,
            onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("field.order_number"), dataIndex: "number", width: 170,
              render: (v: string, o) => <Typography.Link onClick={() => setViewing(o.id)} style={{ whiteSpace: "nowrap" }}>{v}</Typography.Link> },
            { title: t("field.customer"), dataIndex: "customer_name", width: 200, ellipsis: { showTitle: true } },
            { title: t("field.order_date"), dataIndex: "order_date", sorter: (a, b) => a.order_date.localeCompare(b.order_date) },
            { title: t("field.delivery_date"), dataIndex: "delivery_date", sorter: (a, b) => a.delivery_date.localeCompare(b.delivery_date) },
            { title: t("field.bill_type"), dataIndex: "bill_type", render: (v: string) => t(`billType.${v}`) },
            { title: t("field.total"), dataIndex: "total", align: "right",
              sorter: (a, b) => Number(toCents(a.total) - toCents(b.total)), render: (v: string) => <Money value={v} strong /> },
            { title: t("field.status"), dataIndex: "status", render: (s: string, o) => (
              <Space size={4} wrap><OrderStatusTag status={s} /><CreditHoldTag order={o} />
                <ReleaseHoldButton order={o} size="small" onDone={list.reload} /></Space>) },
            { title: t("field.payment_status"), dataIndex: "payment_status", render: (s: string, o) => <PaymentStatusTag status={s} orderStatus={o.status} /> },
          ]}
        />
      </Card>
      <Modal open={rejecting} title={t("ordersConsole.rejectTitle", { n: selected.length })}
        okText={t("ordersConsole.batchReject")} okButtonProps={{ danger: true, loading: busy }}
        onOk={() => void form.validateFields().then((v) => review("reject", v.reason))}
        onCancel={() => setRejecting(false)}>
        <Form form={form} layout="vertical" name="reject-orders">
          <Form.Item name="reason" label={t("field.reason")} extra={t("ordersConsole.reasonHint")}
            rules={[{ max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <OrderDrawer id={viewing} onClose={() => setViewing(undefined)} onChanged={list.reload} />
    </>
  );
}
