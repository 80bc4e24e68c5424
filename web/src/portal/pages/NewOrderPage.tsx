import { Alert, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, List, Radio,
  Result, Row, Space, Table, Typography, Grid } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../../api/client";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { formatYuan, lineTotal, orderTotals, yuan } from "../../lib/money";
import { orderLines, reorderDeliveryDate, reorderDraft } from "../../lib/order";
import type { PastLine, ReorderDraft } from "../../lib/order";
import { clampPoints, maxUsablePoints, payableCents, redeemableCents } from "../../lib/points";
import { businessToday, deliveryDate } from "../../lib/validators";
import { useApiError, useLoad } from "../../shared/hooks";
import type { PointsSummary } from "../../shared/Points";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";

type Item = Schemas["PortalCatalogItem"];
type BillType = Schemas["OrderIn"]["bill_type"];
type Order = Schemas["OrderOut"];

interface Meta { delivery_date?: Dayjs; bill_type: BillType; remark?: string }

/** What a new order is filled in from (issue 15): an earlier order (再来一单, `?from=`) or a
 * favourite order (`?template=`). Nothing is sent until the customer presses submit. */
interface Source { kind: "order" | "template"; label: string; lines: PastLine[]; bill_type?: BillType | null;
  remark?: string | null; delivery_date?: string }

async function loadSource(orderId: string | null, templateId: string | null, today: string): Promise<Source | undefined> {
  if (orderId) {
    const o = await unwrap(api.GET("/api/portal/orders/{order_id}", { params: { path: { order_id: orderId } } }));
    return { kind: "order", label: o.number, lines: o.lines, bill_type: o.bill_type,
      delivery_date: reorderDeliveryDate(o.order_date, o.delivery_date, today) };
  }
  if (templateId) {
    const all = await unwrap(api.GET("/api/portal/order-templates"));
    const tpl = all.find((x) => x.id === templateId);
    if (!tpl) throw new Error("template not found");
    return { kind: "template", label: tpl.name, lines: tpl.lines, bill_type: tpl.bill_type, remark: tpl.remark };
  }
  return undefined;
}

/** Place an order from my consumables (O-1, O-3): live totals at list and own prices, and
 * part of it paid with points (P-2) when the customer orders for itself.
 * `editing`: modify that order (O-4); `staffFor`: staff enter an order for that customer (O-1). */
export function NewOrderPage({ editing, staffFor }: {
  editing?: Order; staffFor?: { id: string; name: string; catalog: Item[] };
} = {}) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const fromOrder = editing || staffFor ? null : params.get("from");
  const fromTemplate = editing || staffFor ? null : params.get("template");
  const catalog = useLoad(() => staffFor ? Promise.resolve(staffFor.catalog) : unwrap(api.GET("/api/portal/catalog")), [staffFor]);
  const [quantities, setQuantities] = useState<Record<string, number | null>>(
    () => Object.fromEntries((editing?.lines ?? []).map((l) => [l.product_id, l.quantity])));
  const [conflict, setConflict] = useState(false);
  const navigate = useNavigate();
  const [form] = Form.useForm<Meta>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [placed, setPlaced] = useState<Order>();
  // Points pay only for the customer's own new orders (staff entries earn and spend none).
  const withPoints = !editing && !staffFor;
  const summary = useLoad<PointsSummary | undefined>(() => withPoints
    ? unwrap(api.GET("/api/portal/points")) : Promise.resolve(undefined), [withPoints]);
  const [pointsInput, setPointsInput] = useState<number | null>(null);

  const items = useMemo(() => catalog.data ?? [], [catalog.data]);
  const totals = useMemo(() => orderTotals(items.map((i) => ({
    unit_price: i.unit_price, list_price: i.list_price, quantity: quantities[i.product_id] ?? 0,
  }))), [items, quantities]);
  const maxPoints = useMemo(() => maxUsablePoints(summary.data, redeemableCents(items.map((i) => ({
    category: i.category, unit_price: i.unit_price, quantity: quantities[i.product_id] ?? 0,
  })))), [summary.data, items, quantities]);
  const points = withPoints ? clampPoints(pointsInput, maxPoints) : 0;
  const today = useMemo(() => businessToday(), []);
  const todayValue = useMemo(() => dayjs(today), [today]);
  // 再来一单 / a favourite order: the form filled in once, at today's prices, for review.
  const source = useLoad(() => loadSource(fromOrder, fromTemplate, today), [fromOrder, fromTemplate, today]);
  const draft = useMemo(() => source.data && catalog.data ? reorderDraft(source.data.lines, catalog.data) : undefined,
    [source.data, catalog.data]);
  const filledFrom = useRef<Source>();
  useEffect(() => {
    if (!draft || !source.data || filledFrom.current === source.data) return;
    filledFrom.current = source.data;
    setQuantities(draft.quantities);
    form.setFieldsValue({
      ...(source.data.bill_type ? { bill_type: source.data.bill_type } : {}),
      ...(source.data.remark ? { remark: source.data.remark } : {}),
      ...(source.data.delivery_date ? { delivery_date: dayjs(source.data.delivery_date) } : {}),
    });
  }, [draft, source.data, form]);

  const setQty = (id: string, q: number | null) => {
    setProblem(null);
    setQuantities((prev) => ({ ...prev, [id]: q }));
  };

  const submit = async (meta: Meta) => {
    const { lines, problem: p } = orderLines(items, quantities);
    if (p) { setProblem(p); return; }
    setBusy(true);
    try {
      if (editing) {
        await unwrap(api.PUT("/api/portal/orders/{order_id}", {
          params: { path: { order_id: editing.id } },
          body: {
            delivery_date: meta.delivery_date!.format("YYYY-MM-DD"), bill_type: meta.bill_type,
            remark: meta.remark?.trim() ?? "", lines, version: editing.version,
          },
        }));
        navigate(`/orders/${editing.id}`, { state: { modified: true } });
        return;
      }
      const body = {
        delivery_date: meta.delivery_date!.format("YYYY-MM-DD"),
        bill_type: meta.bill_type,
        remark: meta.remark?.trim() || null,
        lines,
      };
      const order = staffFor
        ? await unwrap(api.POST("/api/console/orders", { body: { customer_id: staffFor.id, ...body } }))
        : await unwrap(api.POST("/api/portal/orders", { body: { ...body, points_to_use: points } }));
      setPlaced(order);
    } catch (err) {
      if (editing && err instanceof ApiError && err.status === 409) setConflict(true);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  if (placed) {
    return (
      <Card>
        <Result status="success" title={t("order.placedTitle", { number: placed.number })}
          subTitle={<>{t(staffFor ? "order.staff.placedText" : "order.placedText", { total: yuan(placed.total) })}
            {placed.points_requested > 0 && <><br />{t("points.use.placed", { points: placed.points_requested })}</>}</>}
          extra={[
            <Link key="view" to={staffFor ? "/orders/all" : `/orders/${placed.id}`}><Button type="primary">{t("order.view")}</Button></Link>,
            <Button key="again" onClick={() => {
              setPlaced(undefined); setQuantities({}); setPointsInput(null); form.resetFields(); summary.reload();
              if (fromOrder || fromTemplate) setParams({}, { replace: true });
            }}>
              {t("order.again")}</Button>,
          ]} />
      </Card>
    );
  }

  const qtyInput = (item: Item) => (
    <InputNumber<number> min={0} max={1_000_000} precision={0} step={1} inputMode="numeric"
      value={quantities[item.product_id] ?? null} placeholder="0" style={{ width: 110 }}
      aria-label={t("order.quantityOf", { name: item.name, model: item.model })}
      onChange={(v) => setQty(item.product_id, v)} />
  );

  return (
    <>
      {!staffFor && <PageTitle title={editing ? t("lc.modifyTitle", { number: editing.number })
        : source.data ? t(source.data.kind === "order" ? "reorder.title" : "reorder.templateTitle") : t("order.newTitle")}
        sub={editing ? t("lc.modifySub") : source.data ? undefined : t("order.newSub")} />}
      <ErrorAlert error={source.error} />
      {source.data && draft && <ReorderNotes source={source.data} draft={draft} />}
      {conflict && <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="stale-conflict"
        message={t("lc.staleTitle")} description={t("lc.staleText")}
        action={<Button onClick={() => window.location.reload()}>{t("lc.reload")}</Button>} />}
      <ErrorAlert error={catalog.error} />
      <Form<Meta> form={form} layout="vertical" onFinish={submit} name="order"
        initialValues={editing ? { bill_type: editing.bill_type, remark: editing.remark ?? undefined,
          delivery_date: dayjs(editing.delivery_date) } : { bill_type: "none" }}>
        <Card title={t("order.lines")} styles={{ body: { padding: screens.md ? 0 : 12 } }} style={{ marginBottom: 16 }}>
          {!catalog.loading && items.length === 0 ? <Empty description={t(staffFor ? "order.staff.emptyCatalog" : "order.emptyCatalog")} /> : screens.md ? (
            <Table<Item> rowKey="product_id" dataSource={items} loading={catalog.loading} pagination={false}
              columns={[
                { title: t("field.product"), dataIndex: "name",
                  render: (_: string, i) => <><Typography.Text strong>{i.name}</Typography.Text><br /><Typography.Text type="secondary">{i.model}</Typography.Text></> },
                { title: t("field.list_price"), dataIndex: "list_price", align: "right", render: (v: string, i) => <Money value={v} del={v !== i.unit_price} /> },
                { title: t(staffFor ? "order.staff.customerPrice" : "field.my_price"), dataIndex: "unit_price", align: "right", render: (v: string) => <Money value={v} strong /> },
                { title: t("field.quantity"), key: "q", width: 140, render: (_: unknown, i) => qtyInput(i) },
                { title: t("order.lineTotal"), key: "total", align: "right", width: 160,
                  render: (_: unknown, i) => {
                    const q = quantities[i.product_id] ?? 0;
                    return q > 0 ? <Space direction="vertical" size={0} align="end">
                      <Typography.Text strong className="money">{formatYuan(lineTotal(i.unit_price, q))}</Typography.Text>
                      <Typography.Text delete type="secondary" className="money">{formatYuan(lineTotal(i.list_price, q))}</Typography.Text>
                    </Space> : <Typography.Text type="secondary">—</Typography.Text>;
                  } },
              ]} />
          ) : (
            <List<Item> dataSource={items} loading={catalog.loading} renderItem={(i) => {
              const q = quantities[i.product_id] ?? 0;
              return (
                <List.Item className="order-line-card" extra={qtyInput(i)}>
                  <List.Item.Meta title={i.name}
                    description={<Space direction="vertical" size={0}>
                      <span>{i.model}</span>
                      <span><Money value={i.unit_price} strong /> {i.list_price !== i.unit_price && <Money value={i.list_price} del />}</span>
                      {q > 0 && <span>{t("order.lineTotal")}：<Typography.Text strong className="money">{formatYuan(lineTotal(i.unit_price, q))}</Typography.Text></span>}
                    </Space>} />
                </List.Item>
              );
            }} />
          )}
        </Card>
        <Card title={t("order.details")} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="delivery_date" label={t("field.delivery_date")} required
                rules={[{ validator: (_r, v?: Dayjs) => {
                  const key = deliveryDate(v ? v.format("YYYY-MM-DD") : null, today);
                  return key ? Promise.reject(new Error(t(key))) : Promise.resolve();
                } }]}>
                <DatePicker style={{ width: "100%" }} inputReadOnly={!screens.md}
                  disabledDate={(d) => d.format("YYYY-MM-DD") < today}
                  defaultPickerValue={todayValue}
                  onKeyDown={(e) => { if (e.key === "Enter") e.preventDefault(); /* pick, not submit */ }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="bill_type" label={t("field.bill_type")} required>
                <Radio.Group optionType="button" buttonStyle="solid" options={[
                  { value: "none", label: t("billType.none") },
                  { value: "ordinary_vat", label: t("billType.ordinary_vat") },
                  { value: "special_vat", label: t("billType.special_vat") },
                ]} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="remark" label={t("field.remark")} style={{ marginBottom: 28 }}
                rules={[{ max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        {withPoints && <PointsToUse summary={summary.data} max={maxPoints} value={points}
          onChange={setPointsInput} />}
        {problem && <Alert type="error" showIcon message={t(problem)} style={{ marginBottom: 12 }} />}
        <div className="totals-bar" data-testid="totals-bar">
          <div className="totals-bar-row">
            <div className="totals-bar-figures">
              <span className="tb-extra"><span className="label">{t("order.itemCount")}</span>{totals.lines} / {totals.quantity}</span>
              <span className="tb-extra"><span className="label">{t("order.listTotal")}</span>
                <Typography.Text delete type="secondary" className="money" data-testid="list-total">{formatYuan(totals.listTotal)}</Typography.Text></span>
              <span className="tb-extra"><span className="label">{t("order.saving")}</span>
                <Typography.Text type="success" className="money">{formatYuan(totals.saving)}</Typography.Text></span>
              <span className={points > 0 ? "tb-extra" : "tb-main"}><span className="label">{t("order.total")}</span>
                <Typography.Text strong={points === 0} style={points === 0 ? { color: "#cf1322" } : undefined}
                  className={points === 0 ? "money tb-amount" : "money"} data-testid="order-total">{formatYuan(totals.total)}</Typography.Text></span>
              {points > 0 && <>
                <span className="tb-extra"><span className="label">{t("points.use.deduction")}</span>
                  <Typography.Text type="success" className="money" data-testid="points-deduction">−{formatYuan(BigInt(points) * 100n)}</Typography.Text></span>
                <span className="tb-main"><span className="label">{t("points.use.payable")}</span>
                  <Typography.Text strong style={{ color: "#cf1322" }} className="money tb-amount"
                    data-testid="order-payable">{formatYuan(payableCents(totals.total, points))}</Typography.Text></span>
              </>}
            </div>
            <Button type="primary" size={screens.md ? "large" : "middle"} htmlType="submit" loading={busy}
              disabled={catalog.loading || source.loading}>
              {editing ? t("lc.saveModify") : t("order.submit")}</Button>
          </div>
          <Typography.Text type="secondary" className="tb-note" style={{ fontSize: 12 }}>
            {t(staffFor ? "order.staff.serverTotal" : "order.serverTotal")}</Typography.Text>
        </div>
      </Form>
    </>
  );
}

/** Where a reorder's lines came from, what was left out and why, and prices that changed
 * since (issue 15): the customer reviews them before submitting. */
function ReorderNotes({ source, draft }: { source: Source; draft: ReorderDraft }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={12} style={{ width: "100%", marginBottom: 16 }}>
      <Alert type="info" showIcon data-testid="reorder-from"
        message={t(source.kind === "order" ? "reorder.from" : "reorder.fromTemplate", { label: source.label })}
        description={<>
          {t("reorder.review")}
          {draft.repriced.length > 0 && <ul className="reorder-list" data-testid="reorder-repriced">
            {draft.repriced.map((r) => <li key={r.product_id}>{t("reorder.priceChange", {
              name: `${r.name} ${r.model}`.trim(), was: yuan(r.was), now: yuan(r.now) })}</li>)}
          </ul>}
        </>} />
      {draft.skipped.length > 0 && (
        <Alert type="warning" showIcon data-testid="reorder-skipped"
          message={t(Object.keys(draft.quantities).length ? "reorder.skippedTitle" : "reorder.noneLeft",
            { n: draft.skipped.length })}
          description={<ul className="reorder-list">
            {draft.skipped.map((s) => <li key={s.product_id}>{t("reorder.skippedLine", {
              name: `${s.name} ${s.model}`.trim(), quantity: s.quantity, reason: t(`reorder.reason.${s.reason}`) })}</li>)}
          </ul>} />
      )}
    </Space>
  );
}

/** 使用积分抵扣 (P-2): the remaining points, the most this order may use, and how many to use. */
function PointsToUse({ summary, max, value, onChange }: {
  summary?: PointsSummary; max: number; value: number; onChange: (v: number | null) => void;
}) {
  const { t } = useTranslation();
  if (!summary) return null;
  const why = !summary.can_redeem
    ? t("points.use.closed", { threshold: summary.threshold, total: summary.total })
    : summary.remaining <= 0 ? t("points.use.noneLeft")
      : max === 0 ? t("points.use.noneRedeemable") : null;
  return (
    <Card size="small" title={t("points.use.title")} style={{ marginBottom: 16 }} data-testid="use-points">
      <Space wrap size={[24, 8]} align="center">
        <span><Typography.Text type="secondary">{t("points.use.remaining")}：</Typography.Text>
          <Typography.Text strong data-testid="points-remaining">{summary.remaining}</Typography.Text></span>
        <span><Typography.Text type="secondary">{t("points.use.max")}：</Typography.Text>
          <Typography.Text strong data-testid="points-max">{max}</Typography.Text></span>
        <Space.Compact>
          <InputNumber<number> min={0} max={max} precision={0} step={1} inputMode="numeric" disabled={max === 0}
            value={value || null} placeholder="0" style={{ width: 140 }} aria-label={t("points.use.label")}
            onChange={onChange} />
          <Button disabled={max === 0 || value === max} onClick={() => onChange(max)}>{t("points.use.all")}</Button>
        </Space.Compact>
      </Space>
      <div style={{ marginTop: 8 }}>
        <Typography.Text type={why ? "warning" : "secondary"} style={{ fontSize: 12 }} data-testid="points-hint">
          {why ?? t("points.use.hint")}</Typography.Text>
      </div>
    </Card>
  );
}
