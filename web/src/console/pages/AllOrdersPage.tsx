import { DownloadOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space,
  Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { ORDER_STATUSES } from "../../lib/orders";
import { useAuth } from "../../shared/auth";
import { useLoad } from "../../shared/hooks";
import { CreditHoldTag } from "../../shared/credit";
import { ErrorAlert, Money, OrderStatusTag, PageTitle, PaymentStatusTag } from "../../shared/ui";
import { OrderDrawer } from "./OrdersPage";

type Order = Schemas["OrderSummary"];
type Sort = "date" | "-date" | "amount" | "-amount" | "quantity" | "-quantity";
type Status = (typeof ORDER_STATUSES)[number];

interface Filters {
  status?: Status[]; period?: [Dayjs | null, Dayjs | null] | null; min_total?: string | null;
  max_total?: string | null; paid?: "true" | "false"; invoiced?: "true" | "false"; q?: string;
  overdue?: "true" | "false"; credit_hold?: "true" | "false"; area?: string;
}

/** The columns the Excel export offers (O-10), in the service's order. */
export const EXPORT_COLUMNS = ["number", "order_date", "delivery_date", "customer_number", "customer_name",
  "area", "source", "status", "bill_type", "total", "list_total", "paid_total", "outstanding",
  "payment_status", "due_date", "invoiced", "total_quantity", "lines", "remark", "reviewed_by",
  "reviewed_at", "created_by", "created_at"] as const;
const DEFAULT_COLUMNS = ["number", "order_date", "customer_name", "status", "total", "paid_total",
  "payment_status", "invoiced", "total_quantity", "delivery_date"];

function toQuery(f: Filters) {
  return {
    status: f.status?.length ? f.status : undefined,
    from: f.period?.[0]?.format("YYYY-MM-DD"),
    to: f.period?.[1]?.format("YYYY-MM-DD"),
    min_total: f.min_total ?? undefined,
    max_total: f.max_total ?? undefined,
    paid: f.paid === undefined ? undefined : f.paid === "true",
    invoiced: f.invoiced === undefined ? undefined : f.invoiced === "true",
    overdue: f.overdue === undefined ? undefined : f.overdue === "true",
    credit_hold: f.credit_hold === undefined ? undefined : f.credit_hold === "true",
    q: f.q?.trim() || undefined,
    area: f.area?.trim() || undefined,
  };
}

const yesNo = (v: string | null) => v === "true" || v === "false" ? v : undefined;

/** Filters the address may set (the workbench's counts link here): ?overdue=true,
 * ?credit_hold=true, ?status=… (repeatable), ?q=…, ?area=…. */
function fromAddress(params: URLSearchParams): Filters {
  const status = params.getAll("status").filter((s): s is Status => (ORDER_STATUSES as readonly string[]).includes(s));
  const f: Filters = { overdue: yesNo(params.get("overdue")), credit_hold: yesNo(params.get("credit_hold")),
    status: status.length ? status : undefined, q: params.get("q")?.slice(0, 100) || undefined,
    area: params.get("area")?.slice(0, 100) || undefined };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Filters;
}

/** Every order (O-10, A-1): filter by status, period, amount, payment, invoice, overdue
 * payment (O-6) and credit hold (B-3); sort; export. */
export function AllOrdersPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const { me } = useAuth();
  const areaBound = !!me?.areas?.length;
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>(() => fromAddress(params));
  const [sort, setSort] = useState<Sort>("-date");
  const [page, setPage] = useState(1);
  const [viewing, setViewing] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const [columns, setColumns] = useState<string[]>(DEFAULT_COLUMNS);
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/orders", { params: { query: {
    ...toQuery(filters), sort, limit: pageSize, offset: (page - 1) * pageSize } } })), [filters, sort, page]);

  const exportUrl = () => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(toQuery(filters))) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((s) => q.append(k, s)); else q.set(k, String(v));
    }
    q.set("sort", sort);
    q.set("columns", EXPORT_COLUMNS.filter((c) => columns.includes(c)).join(","));
    q.set("lang", i18n.language.startsWith("zh") ? "zh" : "en");
    return `/api/console/orders/export.xlsx?${q.toString()}`;
  };
  const sortOrder = (key: string) => sort === key ? "ascend" as const : sort === `-${key}` ? "descend" as const : null;

  return (
    <>
      <PageTitle title={t("lc.allOrders")} sub={t("lc.allOrdersSub")}
        extra={<>
          <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)}>{t("lc.export")}</Button>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>{t("common.refresh")}</Button>
        </>} />
      <Card style={{ marginBottom: 16 }}>
        <Form<Filters> form={form} layout="inline" name="order-filters" style={{ rowGap: 12 }} initialValues={filters}
          onFinish={(v) => { setFilters(v); setPage(1); }}>
          <Form.Item name="q"><Input allowClear placeholder={t("orderSearch.placeholder")} aria-label={t("orderSearch.label")}
            maxLength={100} style={{ width: 300 }} /></Form.Item>
          {!areaBound && (
            <Form.Item name="area"><Input allowClear placeholder={t("orderSearch.area")} aria-label={t("orderSearch.area")}
              maxLength={100} style={{ width: 150 }} /></Form.Item>
          )}
          <Form.Item name="status">
            <Select<Status[]> mode="multiple" allowClear placeholder={t("field.status")} style={{ minWidth: 200 }} maxTagCount="responsive"
              aria-label={t("field.status")}
              options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))} />
          </Form.Item>
          <Form.Item name="period"><DatePicker.RangePicker allowEmpty={[true, true]} /></Form.Item>
          <Form.Item label={t("lc.amount")}>
            <Space.Compact>
              <Form.Item name="min_total" noStyle><InputNumber<string> stringMode min="0" placeholder={t("lc.min")} style={{ width: 110 }} /></Form.Item>
              <Form.Item name="max_total" noStyle><InputNumber<string> stringMode min="0" placeholder={t("lc.max")} style={{ width: 110 }} /></Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="paid">
            <Select allowClear placeholder={t("field.payment_status")} style={{ width: 130 }} options={[
              { value: "true", label: t("lc.paidFully") }, { value: "false", label: t("lc.unpaid") }]} />
          </Form.Item>
          <Form.Item name="overdue">
            <Select allowClear placeholder={t("orders.overdueFilter")} style={{ width: 150 }} aria-label={t("orders.overdueFilter")}
              options={[{ value: "true", label: t("orders.overdueOnly") }, { value: "false", label: t("orders.notOverdue") }]} />
          </Form.Item>
          <Form.Item name="credit_hold">
            <Select allowClear placeholder={t("credit.filter")} style={{ width: 130 }} aria-label={t("credit.filter")}
              options={[{ value: "true", label: t("credit.heldOnly") }, { value: "false", label: t("credit.notHeld") }]} />
          </Form.Item>
          <Form.Item name="invoiced">
            <Select allowClear placeholder={t("field.invoiced")} style={{ width: 120 }} options={[
              { value: "true", label: t("common.yes") }, { value: "false", label: t("common.no") }]} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t("lc.search")}</Button>
              <Button onClick={() => {
                // (the address's filters are the form's initial values: clear them too)
                form.resetFields();
                form.setFieldsValue({ overdue: undefined, credit_hold: undefined, status: undefined, q: undefined, area: undefined });
                setFilters({}); setPage(1);
              }}>{t("lc.resetFilters")}</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Order>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1100 }}
          onRow={(o) => ({ onClick: () => setViewing(o.id), style: { cursor: "pointer" } })}
          onChange={(_p, _f, s) => {
            const one = Array.isArray(s) ? s[0] : s;
            const key = one?.columnKey as string | undefined;
            setSort(one?.order && key ? (`${one.order === "descend" ? "-" : ""}${key}` as Sort) : "-date");
            setPage(1);
          }}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("field.order_number"), dataIndex: "number",
              render: (v: string, o) => <Typography.Link onClick={() => setViewing(o.id)}>{v}</Typography.Link> },
            { title: t("field.customer"), dataIndex: "customer_name", ellipsis: { showTitle: true } },
            { title: t("field.order_date"), key: "date", dataIndex: "order_date", sorter: true, sortOrder: sortOrder("date") },
            { title: t("field.delivery_date"), dataIndex: "delivery_date" },
            { title: t("field.quantity"), key: "quantity", dataIndex: "total_quantity", align: "right", sorter: true, sortOrder: sortOrder("quantity") },
            { title: t("field.total"), key: "amount", dataIndex: "total", align: "right", sorter: true, sortOrder: sortOrder("amount"),
              render: (v: string) => <Money value={v} strong /> },
            { title: t("field.status"), dataIndex: "status", render: (s: string, o) => <><OrderStatusTag status={s} /><CreditHoldTag order={o} /></> },
            { title: t("field.payment_status"), dataIndex: "payment_status", render: (s: string, o) => <PaymentStatusTag status={s} orderStatus={o.status} /> },
            { title: t("field.due_date"), dataIndex: "due_date",
              render: (v: string | null, o) => <>{v ?? "—"}{o.overdue && <Tag color="red" style={{ marginLeft: 6 }}>{t("orders.overdue")}</Tag>}</> },
            { title: t("field.invoiced"), dataIndex: "invoiced",
              render: (v: boolean) => v ? <Tag color="green">{t("common.yes")}</Tag> : <Tag>{t("common.no")}</Tag> },
            { title: t("lc.source"), dataIndex: "source", render: (v: string) => t(`lc.sourceName.${v}`, v) },
          ]}
        />
      </Card>
      <Modal open={exporting} title={t("lc.exportTitle")} onCancel={() => setExporting(false)} footer={[
        <Button key="c" onClick={() => setExporting(false)}>{t("common.back")}</Button>,
        <Button key="d" type="primary" icon={<DownloadOutlined />} href={exportUrl()} disabled={!columns.length}
          onClick={() => setExporting(false)} data-testid="export-download">{t("lc.download")}</Button>,
      ]}>
        <Typography.Paragraph type="secondary">{t("lc.exportHint", { n: list.data?.total ?? 0 })}</Typography.Paragraph>
        <Space style={{ marginBottom: 8 }}>
          <Button size="small" onClick={() => setColumns([...EXPORT_COLUMNS])}>{t("common.all")}</Button>
          <Button size="small" onClick={() => setColumns(DEFAULT_COLUMNS)}>{t("lc.defaultColumns")}</Button>
        </Space>
        <Checkbox.Group value={columns} onChange={(v) => setColumns(v as string[])}
          style={{ display: "grid", gridTemplateColumns: "repeat(3, 1fr)", gap: 8 }}
          options={EXPORT_COLUMNS.map((c) => ({ value: c, label: t(`lc.column.${c}`) }))} />
      </Modal>
      <OrderDrawer id={viewing} onClose={() => setViewing(undefined)} onChanged={list.reload} />
    </>
  );
}
