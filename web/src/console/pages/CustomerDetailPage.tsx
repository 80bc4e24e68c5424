import { ArrowLeftOutlined, EditOutlined, SendOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Radio, Row, Select,
  Skeleton, Space, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { auditChanges } from "../../lib/audit";
import { formatDateTime } from "../../lib/dates";
import { has } from "../../lib/permissions";
import { companyPayload, price, reason as reasonCheck } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { CompanyFields } from "../../shared/CompanyFields";
import { CreditLimitCard } from "../../shared/credit";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { CustomerStatusTag, ErrorAlert, Money, OrderStatusTag, PageTitle } from "../../shared/ui";
import { CustomerStatementTab } from "./StatementsPage";

type Detail = Schemas["CustomerDetail"];
type Line = Schemas["CatalogLineOut"];
type History = Schemas["PriceHistoryOut"];
type Audit = Schemas["AuditEntryOut"];
type Order = Schemas["OrderSummary"];
type Grade = Schemas["GradeIn"]["grade"];

const COMPANY_FIELDS = ["name", "contact_person", "mobile", "email", "address", "area", "area_code",
  "telephone", "fax", "qq", "tax_number", "invoice_title", "bank", "bank_account"] as const;

/** One customer: information, prices and their history, grade, ordering cycle, orders and
 * the audit trail (C-1, C-3, C-4, C-6, X-3). */
export function CustomerDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { me } = useAuth();
  const canModify = has(me?.permissions, "customers:modify");
  const canOrders = has(me?.permissions, "orders:query");
  const canDeliveries = has(me?.permissions, "messages:query");
  const canStatements = has(me?.permissions, "payments:query");
  const detail = useLoad(() => unwrap(api.GET("/api/console/customers/{customer_id}", {
    params: { path: { customer_id: id } } })), [id]);
  const [editing, setEditing] = useState(false);
  const [pricing, setPricing] = useState<Line>();
  const c = detail.data;

  return (
    <>
      <PageTitle title={c ? `${c.name}` : t("customers.detail")}
        sub={c && <Space size={4}><span>{c.customer_number}</span><CustomerStatusTag status={c.status} />
          <Tag color="gold">{t(`grade.${c.grade}`, c.grade)}</Tag></Space>}
        extra={<>
          {canDeliveries && <Button icon={<SendOutlined />} onClick={() => navigate(`/deliveries?customer_id=${id}`)}>
            {t("customers.deliveries")}</Button>}
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate("/customers")}>{t("common.back")}</Button></>} />
      <ErrorAlert error={detail.error} />
      {!c ? <Skeleton active /> : (
        <Card>
          <Tabs items={[
            { key: "info", label: t("customers.tabInfo"), children: (
              <>
                {canModify && <Button icon={<EditOutlined />} style={{ marginBottom: 12 }} onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
                {c.status === "rejected" && c.rejection_reason && (
                  <Typography.Paragraph type="danger">{t("review.reason")}：{c.rejection_reason}</Typography.Paragraph>)}
                <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
                  {COMPANY_FIELDS.map((f) => (
                    <Descriptions.Item key={f} label={t(`field.${f}`)}>{(c[f] as string | null) ?? "—"}</Descriptions.Item>
                  ))}
                  <Descriptions.Item label={t("field.paid_total")}><Money value={c.paid_total} /></Descriptions.Item>
                  <Descriptions.Item label={t("field.created_at")}>{formatDateTime(c.created_at)}</Descriptions.Item>
                  <Descriptions.Item label={t("field.reviewed_by")}>{c.reviewed_by ?? "—"}</Descriptions.Item>
                  <Descriptions.Item label={t("field.reviewed_at")}>{formatDateTime(c.reviewed_at)}</Descriptions.Item>
                </Descriptions>
              </>) },
            { key: "prices", label: t("customers.tabPrices"), children: (
              <Table<Line> rowKey="product_id" dataSource={c.catalog} pagination={false} size="small" scroll={{ x: 800 }}
                columns={[
                  { title: t("field.product"), dataIndex: "name",
                    render: (v: string, l) => <>{v}{!l.product_active && <Tag style={{ marginLeft: 6 }}>{t("products.inactive")}</Tag>}</> },
                  { title: t("field.model"), dataIndex: "model" },
                  { title: t("field.list_price"), dataIndex: "list_price", align: "right", render: (v: string) => <Money value={v} /> },
                  { title: t("field.unit_price"), dataIndex: "unit_price", align: "right", render: (v: string) => <Money value={v} strong /> },
                  { title: t("field.updated_by"), dataIndex: "updated_by" },
                  { title: t("field.updated_at"), dataIndex: "updated_at", render: (v: string) => formatDateTime(v) },
                  ...(canModify ? [{ title: t("common.actions"), key: "a", render: (_: unknown, l: Line) =>
                    <Button size="small" onClick={() => setPricing(l)}>{t("customers.changePrice")}</Button> }] : []),
                ]} />) },
            { key: "history", label: t("customers.tabHistory"), children: <PriceHistory id={id} /> },
            { key: "grade", label: t("customers.tabGrade"), children: <GradeAndCycle customer={c} canModify={canModify} onDone={detail.reload} /> },
            ...(canOrders ? [{ key: "orders", label: t("customers.tabOrders"), children: <CustomerOrders id={id} /> }] : []),
            ...(canStatements ? [{ key: "statements", label: t("statements.tab"), children: <CustomerStatementTab customerId={id} /> }] : []),
            { key: "audit", label: t("customers.tabAudit"), children: <AuditTrail id={id}
              names={Object.fromEntries(c.catalog.map((l) => [l.product_id, l.model ? `${l.name} ${l.model}` : l.name]))} /> },
          ]} />
        </Card>
      )}
      {editing && c && <EditCompany customer={c} onClose={(done) => { setEditing(false); if (done) detail.reload(); }} />}
      {pricing && <PriceModal customerId={id} line={pricing} onClose={(done) => { setPricing(undefined); if (done) detail.reload(); }} />}
    </>
  );
}

function EditCompany({ customer, onClose }: { customer: Detail; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}", {
        params: { path: { customer_id: customer.customer_id } },
        body: { company: companyPayload(values) as never },
      }));
      void message.success(t("profile.saved"));
      onClose(true);
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open width={820} title={t("customers.edit")} onOk={() => void save()} okButtonProps={{ loading: busy }}
      onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" initialValues={customer} name="edit-customer">
        <CompanyFields />
      </Form>
    </Modal>
  );
}

function PriceModal({ customerId, line, onClose }: { customerId: string; line: Line; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<{ unit_price: string }>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const { unit_price } = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}/prices/{product_id}", {
        params: { path: { customer_id: customerId, product_id: line.product_id } },
        body: { unit_price: unit_price.trim() },
      }));
      onClose(true);
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t("customers.changePriceOf", { name: `${line.name} ${line.model}` })}
      onOk={() => void save()} okButtonProps={{ loading: busy }} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" initialValues={{ unit_price: line.unit_price }} name="price">
        <Form.Item name="unit_price" label={t("field.unit_price")} rules={[rule(price)]}
          extra={t("customers.listPriceIs", { price: line.list_price })}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PriceHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useLoad(() => unwrapList(api.GET("/api/console/customers/{customer_id}/prices/history", {
    params: { path: { customer_id: id }, query: { limit: 20, offset: (page - 1) * 20 } } })), [id, page]);
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<History> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 760 }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, hideOnSinglePage: true }}
        columns={[
          { title: t("field.changed_at"), dataIndex: "changed_at", render: (v: string) => formatDateTime(v) },
          { title: t("field.product"), dataIndex: "name", render: (v: string, h) => `${v} · ${h.model}` },
          { title: t("customers.oldPrice"), dataIndex: "old_price", align: "right", render: (v: string | null) => <Money value={v} /> },
          { title: t("customers.newPrice"), dataIndex: "new_price", align: "right", render: (v: string) => <Money value={v} strong /> },
          { title: t("field.reason"), dataIndex: "reason", render: (v: string) => t(`priceReason.${v}`, v) },
          { title: t("field.changed_by"), dataIndex: "changed_by" },
        ]} />
    </>
  );
}

function CustomerOrders({ id }: { id: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useLoad(() => unwrapList(api.GET("/api/console/orders", {
    params: { query: { customer_id: id, limit: 20, offset: (page - 1) * 20 } } })), [id, page]);
  return (
    <Table<Order> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 700 }}
      pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, hideOnSinglePage: true }}
      columns={[
        { title: t("field.order_number"), dataIndex: "number" },
        { title: t("field.order_date"), dataIndex: "order_date" },
        { title: t("field.delivery_date"), dataIndex: "delivery_date" },
        { title: t("field.total"), dataIndex: "total", align: "right", render: (v: string) => <Money value={v} strong /> },
        { title: t("field.status"), dataIndex: "status", render: (s: string) => <OrderStatusTag status={s} /> },
      ]} />
  );
}

/** What one audit entry changed, one line per field (labels, transitions, product names). */
function AuditChangesCell({ entry, names }: { entry: Audit; names: Record<string, string> }) {
  const { t } = useTranslation();
  const items = auditChanges(t, entry, names);
  if (items.length === 0) return <Typography.Text type="secondary">{t("audit.noChanges")}</Typography.Text>;
  return (
    <div style={{ fontSize: 12 }}>
      {items.slice(0, 8).map((c, i) => (
        <div key={i}>
          <Typography.Text type="secondary">{c.field}：</Typography.Text>
          {c.from !== undefined && c.to !== undefined
            ? <>{c.from} → <Typography.Text strong>{c.to}</Typography.Text></>
            : <>{c.to ?? c.from}</>}
        </div>))}
      {items.length > 8 && <Typography.Text type="secondary">{t("audit.more", { n: items.length - 8 })}</Typography.Text>}
    </div>
  );
}

function AuditTrail({ id, names }: { id: string; names: Record<string, string> }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useLoad(() => unwrapList(api.GET("/api/console/customers/{customer_id}/audit", {
    params: { path: { customer_id: id }, query: { limit: 20, offset: (page - 1) * 20 } } })), [id, page]);
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<Audit> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 860 }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, hideOnSinglePage: true }}
        columns={[
          { title: t("field.changed_at"), dataIndex: "at", width: 170, render: (v: string) => formatDateTime(v) },
          { title: t("audit.actor"), dataIndex: "actor", width: 140,
            render: (v: string, a) => <>{v} <Tag>{t(`audit.kind.${a.actor_kind}`, a.actor_kind)}</Tag></> },
          { title: t("audit.action"), dataIndex: "action", width: 140, render: (v: string) => t(`audit.actions.${v}`, v) },
          { title: t("audit.changes"), key: "changes", render: (_: unknown, a) => <AuditChangesCell entry={a} names={names} /> },
        ]} />
    </>
  );
}

function GradeAndCycle({ customer, canModify, onDone }: { customer: Detail; canModify: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [gradeForm] = Form.useForm<{ grade: Grade; reason: string }>();
  const [cycleForm] = Form.useForm<{ kind: "none" | "days" | "weekday"; days?: number; weekday?: number }>();
  const [termsForm] = Form.useForm<{ days: number }>();
  const kind = Form.useWatch("kind", cycleForm);
  const cycle = customer.ordering_cycle;

  const saveGrade = async (v: { grade: Grade; reason: string }) => {
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}/grade", {
        params: { path: { customer_id: customer.customer_id } }, body: { grade: v.grade, reason: v.reason.trim() } }));
      void message.success(t("customers.gradeSaved"));
      gradeForm.resetFields(["reason"]);
      onDone();
    } catch (err) { report(err, gradeForm); }
  };
  const saveCycle = async (v: { kind: "none" | "days" | "weekday"; days?: number; weekday?: number }) => {
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}/cycle", {
        params: { path: { customer_id: customer.customer_id } },
        body: v.kind === "none" ? { kind: null } : v.kind === "days" ? { kind: "days", days: v.days } : { kind: "weekday", weekday: v.weekday } }));
      void message.success(t("customers.cycleSaved"));
      onDone();
    } catch (err) { report(err, cycleForm); }
  };

  const saveTerms = async (v: { days: number }) => {
    try {
      await unwrap(api.PUT("/api/console/customers/{customer_id}/payment-terms", {
        params: { path: { customer_id: customer.customer_id } }, body: { days: v.days } }));
      void message.success(t("customers.termsSaved"));
      onDone();
    } catch (err) { report(err, termsForm); }
  };
  const terms = customer.payment_terms_days;

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={12}>
        <Card size="small" title={t("customers.grade")}>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t("field.grade")}><Tag color="gold">{t(`grade.${customer.grade}`)}</Tag>
              <Typography.Text type="secondary">{t(`gradeSource.${customer.grade_source}`)}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label={t("field.paid_total")}><Money value={customer.paid_total} /></Descriptions.Item>
          </Descriptions>
          {canModify && (
            <Form form={gradeForm} layout="vertical" onFinish={saveGrade} initialValues={{ grade: customer.grade }} name="grade">
              <Form.Item name="grade" label={t("customers.newGrade")}>
                <Select options={(["normal", "small", "large"] as const).map((g) => ({ value: g, label: t(`grade.${g}`) }))} />
              </Form.Item>
              <Form.Item name="reason" label={t("field.reason")} required rules={[rule(reasonCheck, { n: 500 })]}>
                <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
              </Form.Item>
              <Button type="primary" htmlType="submit">{t("common.save")}</Button>
            </Form>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t("customers.cycle")}>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t("customers.cycleNow")}>{cycle.kind === "days" ? t("customers.everyDays", { n: cycle.days })
              : cycle.kind === "weekday" ? t("customers.everyWeekday", { day: t(`weekday.${cycle.weekday}`) }) : t("customers.noCycle")}</Descriptions.Item>
            <Descriptions.Item label={t("customers.lastOrder")}>{cycle.last_order_date ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("field.next_due_date")}>{cycle.next_due_date ?? "—"}
              {cycle.overdue && <Tag color="red" style={{ marginLeft: 8 }}>{t("customers.overdue")}</Tag>}</Descriptions.Item>
          </Descriptions>
          {canModify && (
            <Form form={cycleForm} layout="vertical" onFinish={saveCycle} name="cycle"
              initialValues={{ kind: cycle.kind ?? "none", days: cycle.days ?? 30, weekday: cycle.weekday ?? 1 }}>
              <Form.Item name="kind" label={t("customers.cycleKind")}>
                <Radio.Group options={[
                  { value: "none", label: t("customers.noCycle") },
                  { value: "days", label: t("customers.byDays") },
                  { value: "weekday", label: t("customers.byWeekday") },
                ]} />
              </Form.Item>
              {kind === "days" && (
                <Form.Item name="days" label={t("customers.days")} rules={[{ required: true, type: "integer", min: 1, max: 365, message: t("validation.days") }]}>
                  <InputNumber min={1} max={365} precision={0} addonAfter={t("customers.daysUnit")} />
                </Form.Item>
              )}
              {kind === "weekday" && (
                <Form.Item name="weekday" label={t("customers.weekday")} rules={[{ required: true }]}>
                  <Select style={{ width: 160 }} options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`weekday.${d}`) }))} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit">{t("common.save")}</Button>
            </Form>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t("customers.paymentTerms")}>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t("customers.paymentTermsNow")}>
              <span data-testid="payment-terms">{terms === 0 ? t("customers.dueOnApproval") : t("customers.termsDays", { n: terms })}</span>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary">{t("customers.termsHint")}</Typography.Paragraph>
          {canModify && (
            <Form form={termsForm} layout="inline" onFinish={saveTerms} name="payment-terms" initialValues={{ days: terms }}>
              <Form.Item name="days" label={t("customers.paymentTermsDays")}
                rules={[{ required: true, type: "integer", min: 0, max: 365, message: t("validation.termsDays") }]}>
                <InputNumber min={0} max={365} precision={0} addonAfter={t("customers.daysUnit")} />
              </Form.Item>
              <Button type="primary" htmlType="submit">{t("common.save")}</Button>
            </Form>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <CreditLimitCard customerId={customer.customer_id} limit={customer.credit_limit} canModify={canModify} onDone={onDone} />
      </Col>
    </Row>
  );
}
