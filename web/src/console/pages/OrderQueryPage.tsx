import { DownloadOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Table, Tag,
  Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { ORDER_STATUSES } from "../../lib/orders";
import { columnSortOrder, cycleLabel, DEFAULT_SORT, downloadName, GRADES, PAYMENT_METHODS, PAYMENT_STATES,
  sortFromTable, toParams } from "../../lib/orderQuery";
import type { Conditions, Grade, OrderStatus, PaymentState, Sort } from "../../lib/orderQuery";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, OrderStatusTag, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";

type Row = Schemas["QueriedOrder"];

interface FormValues {
  customer_id?: string[]; q?: string; area?: string[]; grade?: Grade[]; payment_method?: string[];
  payment?: PaymentState; status?: OrderStatus[]; period?: [Dayjs | null, Dayjs | null] | null;
  amount_min?: string | null; amount_max?: string | null; model?: string;
}

const DAY = "YYYY-MM-DD";

function toConditions(v: FormValues): Conditions {
  const { period, ...rest } = v;
  return { ...rest, from: period?.[0]?.format(DAY), to: period?.[1]?.format(DAY) };
}

/** Conditions the address may set (links from elsewhere): ?customer_id=…&payment=overdue. */
function fromAddress(params: URLSearchParams): FormValues {
  const ids = params.getAll("customer_id").filter(Boolean);
  const payment = params.get("payment");
  return {
    ...(ids.length ? { customer_id: ids } : {}),
    ...(PAYMENT_STATES.includes(payment as PaymentState) ? { payment: payment as PaymentState } : {}),
  };
}

/** 多条件查询 (A-1, C-7): orders by any combination of customer, area, grade, payment
 *  method, paid / unpaid / overdue, status, period, amount and model; sorted on the server
 *  by amount, installed machines, ordering cycle or date; a totals row over every match;
 *  the same as Excel. Staff bound to areas see their areas' customers only. */
export function OrderQueryPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { explain } = useApiError();
  const { me } = useAuth();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const [initial] = useState<FormValues>(() => fromAddress(params));
  const [conditions, setConditions] = useState<Conditions>(() => toConditions(initial));
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [viewing, setViewing] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const query = useMemo(() => toParams(conditions), [conditions]);
  const methodLabel = (m: string) => t([`paymentMethod.${m}`, `pay.method.${m}`], m);

  const result = useLoad(() => unwrap(api.GET("/api/console/analysis/orders", { params: { query: {
    ...query, ...sort, limit: pageSize, offset: (page - 1) * pageSize } } })), [query, sort, page, pageSize]);
  const data = result.error ? undefined : result.data;
  const totals = data?.totals;

  // Areas to choose from: the staff member's own, and those of the orders shown; any
  // other can be typed.
  const areaOptions = useMemo(() => {
    const known = new Set<string>([...(me?.areas ?? []), ...(data?.items ?? []).map((r) => r.area ?? "")]);
    return [...known].filter(Boolean).sort().map((a) => ({ value: a, label: a }));
  }, [me?.areas, data?.items]);

  const download = async () => {
    setExporting(true);
    try {
      const call = api.GET("/api/console/analysis/orders/export.xlsx", {
        params: { query: { ...query, ...sort, lang: i18n.language.startsWith("zh") ? "zh" : "en" } },
        parseAs: "blob",
      });
      const blob = await unwrap(call) as Blob;
      const { response } = await call;
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = downloadName(response.headers.get("Content-Disposition"), "order-query.xlsx");
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      void message.success(t("orderQuery.exported", { n: Number(response.headers.get("X-Total-Count") ?? 0) }));
    } catch (err) {
      void message.error(explain(err));
    } finally {
      setExporting(false);
    }
  };

  const search = (v: FormValues) => { setConditions(toConditions(v)); setPage(1); };
  const reset = () => {
    form.resetFields();
    form.setFieldsValue({ customer_id: undefined, payment: undefined });  // the address's too
    setConditions({}); setPage(1);
  };

  return (
    <>
      <PageTitle title={t("orderQuery.title")} sub={t("orderQuery.sub")} extra={<>
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void download()}
          disabled={!data || data.total === 0} data-testid="order-query-export">{t("orderQuery.export")}</Button>
        <Button icon={<ReloadOutlined />} onClick={result.reload}>{t("common.refresh")}</Button>
      </>} />

      <Card style={{ marginBottom: 16 }}>
        <Form<FormValues> form={form} name="order-query" layout="inline" style={{ rowGap: 12 }}
          initialValues={initial} onFinish={search} data-testid="order-query-form">
          <Form.Item name="customer_id">
            <CustomerSelect multiple placeholder={t("orderQuery.filter.customer")} style={{ minWidth: 220 }}
              data-testid="filter-customer" />
          </Form.Item>
          <Form.Item name="q">
            <Input allowClear placeholder={t("orderQuery.filter.q")} style={{ width: 220 }}
              aria-label={t("orderQuery.filter.q")} data-testid="filter-q" />
          </Form.Item>
          <Form.Item name="area">
            <Select mode="tags" allowClear placeholder={t("orderQuery.filter.area")} style={{ minWidth: 160 }}
              tokenSeparators={[",", "，"]} options={areaOptions} aria-label={t("orderQuery.filter.area")}
              maxTagCount="responsive" data-testid="filter-area" />
          </Form.Item>
          <Form.Item name="grade">
            <Select<Grade[]> mode="multiple" allowClear placeholder={t("orderQuery.filter.grade")} style={{ minWidth: 150 }}
              aria-label={t("orderQuery.filter.grade")} data-testid="filter-grade"
              options={GRADES.map((g) => ({ value: g, label: t(`grade.${g}`) }))} />
          </Form.Item>
          <Form.Item name="payment_method">
            <Select mode="multiple" allowClear placeholder={t("orderQuery.filter.paymentMethod")} style={{ minWidth: 160 }}
              aria-label={t("orderQuery.filter.paymentMethod")} maxTagCount="responsive" data-testid="filter-method"
              options={PAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m) }))} />
          </Form.Item>
          <Form.Item name="payment">
            <Select<PaymentState> allowClear placeholder={t("orderQuery.filter.payment")} style={{ width: 140 }}
              aria-label={t("orderQuery.filter.payment")} data-testid="filter-payment"
              options={PAYMENT_STATES.map((p) => ({ value: p, label: t(`orderQuery.payment.${p}`) }))} />
          </Form.Item>
          <Form.Item name="status">
            <Select mode="multiple" allowClear placeholder={t("orderQuery.filter.status")} style={{ minWidth: 200 }}
              aria-label={t("orderQuery.filter.status")} maxTagCount="responsive" data-testid="filter-status"
              options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))} />
          </Form.Item>
          <Form.Item name="period" label={t("orderQuery.filter.period")}>
            <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="filter-period" />
          </Form.Item>
          <Form.Item label={t("orderQuery.filter.amount")}>
            <Space.Compact>
              <Form.Item name="amount_min" noStyle>
                <InputNumber<string> stringMode min="0" precision={2} placeholder={t("orderQuery.filter.min")}
                  style={{ width: 110 }} aria-label={t("orderQuery.filter.amountMin")} data-testid="filter-amount-min" />
              </Form.Item>
              <Form.Item name="amount_max" noStyle>
                <InputNumber<string> stringMode min="0" precision={2} placeholder={t("orderQuery.filter.max")}
                  style={{ width: 110 }} aria-label={t("orderQuery.filter.amountMax")} data-testid="filter-amount-max" />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="model">
            <Input allowClear placeholder={t("orderQuery.filter.model")} style={{ width: 160 }}
              aria-label={t("orderQuery.filter.model")} data-testid="filter-model" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="order-query-search">
                {t("orderQuery.search")}</Button>
              <Button onClick={reset}>{t("orderQuery.reset")}</Button>
            </Space>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ margin: "12px 0 0" }}>
          {t("orderQuery.excludedHint")}</Typography.Paragraph>
      </Card>

      <ErrorAlert error={result.error} />
      <Card styles={{ body: { padding: 0 } }} title={totals && (
        <Space size="large" wrap data-testid="totals-strip" style={{ fontWeight: "normal" }}>
          <Typography.Text strong>{t("orderQuery.totals", { n: totals.count })}</Typography.Text>
          {([["amount", totals.amount], ["paid", totals.paid], ["outstanding", totals.outstanding]] as const).map(([k, v]) => (
            <span key={k}><Typography.Text type="secondary">{t(`orderQuery.strip.${k}`)} </Typography.Text><Money value={v} strong={k === "amount"} /></span>))}
          <span><Typography.Text type="secondary">{t("orderQuery.strip.quantity")} </Typography.Text>{totals.quantity}</span>
        </Space>)}>
        <Table<Row>
          rowKey="id" loading={result.loading} dataSource={data?.items} scroll={{ x: 1480 }}
          data-testid="order-query-table" size="middle"
          locale={{ emptyText: t("orderQuery.empty") }}
          onChange={(_p, _f, s, extra) => {
            if (extra.action !== "sort") return;
            const one = Array.isArray(s) ? s[0] : s;
            setSort(sortFromTable(one?.columnKey, one?.order));
            setPage(1);
          }}
          pagination={{ current: page, pageSize, total: data?.total, showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            onChange: (p, size) => { setPage(size !== pageSize ? 1 : p); setPageSize(size); },
            showTotal: (n) => t("orderQuery.count", { n }) }}
          columns={[
            { title: t("orderQuery.col.number"), dataIndex: "number", fixed: "left", width: 160,
              render: (v: string, o) => <Typography.Link onClick={() => setViewing(o.id)} data-testid="order-link">{v}</Typography.Link> },
            { title: t("orderQuery.col.orderDate"), key: "date", dataIndex: "order_date", width: 110,
              sorter: true, sortOrder: columnSortOrder(sort, "date"), sortDirections: ["descend", "ascend"] },
            { title: t("orderQuery.col.customer"), dataIndex: "customer_name", width: 200, ellipsis: true,
              render: (v: string, o) => <div title={v}>
                <div style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{v}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="customer-meta">
                  {[o.customer_number, o.area].filter(Boolean).join(" · ") || "—"}</Typography.Text>
              </div> },
            { title: t("orderQuery.col.grade"), dataIndex: "grade", width: 90,
              render: (g: string | null) => g ? <Tag color={g === "large" ? "gold" : g === "small" ? "blue" : "default"}>{t(`grade.${g}`, g)}</Tag> : "—" },
            { title: t("orderQuery.col.machines"), key: "machines", dataIndex: "machine_count", width: 100, align: "right",
              sorter: true, sortOrder: columnSortOrder(sort, "machines"), sortDirections: ["descend", "ascend"] },
            { title: t("orderQuery.col.cycle"), key: "cycle", dataIndex: "cycle_length", width: 110,
              sorter: true, sortOrder: columnSortOrder(sort, "cycle"), sortDirections: ["ascend", "descend"],
              render: (_: unknown, o) => {
                const c = cycleLabel(o.cycle_kind, o.cycle_days, o.cycle_weekday);
                if (!c) return <Typography.Text type="secondary">{t("orderQuery.cycle.none")}</Typography.Text>;
                return t(c.key, { ...c.values, day: c.values.day ? t(`weekday.${c.values.day}`) : undefined });
              } },
            { title: t("orderQuery.col.status"), dataIndex: "status", width: 110, render: (s: string) => <OrderStatusTag status={s} /> },
            { title: t("orderQuery.col.quantity"), dataIndex: "total_quantity", width: 70, align: "right" },
            { title: t("orderQuery.col.total"), key: "amount", dataIndex: "total", width: 125, align: "right",
              sorter: true, sortOrder: columnSortOrder(sort, "amount"), sortDirections: ["descend", "ascend"],
              render: (v: string) => <span data-testid="amount-cell"><Money value={v} strong /></span> },
            { title: t("orderQuery.col.paid"), dataIndex: "paid", width: 115, align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("orderQuery.col.outstanding"), dataIndex: "outstanding", width: 115, align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("orderQuery.col.dueDate"), dataIndex: "due_date", width: 145,
              render: (v: string | null, o) => <>{v ?? "—"}{o.overdue && <Tag color="red" style={{ marginLeft: 6 }}>{t("orderQuery.overdue")}</Tag>}</> },
            { title: t("orderQuery.col.methods"), dataIndex: "payment_methods", width: 130,
              render: (ms: string[]) => ms.length ? ms.map((m) => methodLabel(m)).join("、") : "—" },
          ]}
          summary={() => totals && totals.count > 0 ? (
            <Table.Summary>
              <Table.Summary.Row data-testid="order-query-totals">
                <Table.Summary.Cell index={0} colSpan={7}>
                  <Typography.Text strong>{t("orderQuery.totals", { n: totals.count })}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{t("orderQuery.totalsHint")}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={7} align="right"><span data-testid="totals-quantity">{totals.quantity}</span></Table.Summary.Cell>
                <Table.Summary.Cell index={8} align="right"><span data-testid="totals-amount"><Money value={totals.amount} strong /></span></Table.Summary.Cell>
                <Table.Summary.Cell index={9} align="right"><span data-testid="totals-paid"><Money value={totals.paid} /></span></Table.Summary.Cell>
                <Table.Summary.Cell index={10} align="right"><span data-testid="totals-outstanding"><Money value={totals.outstanding} /></span></Table.Summary.Cell>
                <Table.Summary.Cell index={11} colSpan={2} />
              </Table.Summary.Row>
            </Table.Summary>
          ) : null}
        />
      </Card>

      <Drawer open={!!viewing} width={Math.min(960, window.innerWidth)} onClose={() => setViewing(undefined)}
        title={t("orders.detail")} destroyOnHidden>
        {viewing && <ConsoleOrderDetail id={viewing} onChanged={result.reload} />}
      </Drawer>
    </>
  );
}
