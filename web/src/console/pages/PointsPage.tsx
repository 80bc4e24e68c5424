import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Tabs, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { MovementsTable, PointsBalances, PointsMarkdown, RedemptionsTable, RulesCard } from "../../shared/Points";
import { ErrorAlert, PageTitle } from "../../shared/ui";

/** 积分管理 (P-1..P-3): a customer's ledger, the points its orders used and manual adjustments; the rules, their
 * announcements, event months and the description shown on the portal. */
export function PointsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [q, setQ] = useState("");
  const [customerId, setCustomerId] = useState<string>();
  const customers = useLoad(() => unwrapList(api.GET("/api/console/points/customers", {
    params: { query: { q: q || undefined, limit: 50 } } })), [q]);
  const rules = useLoad(() => unwrap(api.GET("/api/console/points/rules")), []);
  const months = useLoad(() => unwrap(api.GET("/api/console/points/event-months")), []);
  const canModify = has(me?.permissions, "points:modify") && !(me?.areas?.length);
  return (
    <>
      <PageTitle title={t("points.consoleTitle")} sub={t("points.consoleSub")} />
      <ErrorAlert error={customers.error} />
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Card title={t("points.ledger")}>
          <Select showSearch allowClear style={{ width: 360, maxWidth: "100%" }} data-testid="points-customer"
            placeholder={t("points.pickCustomer")} filterOption={false} onSearch={setQ}
            value={customerId} onChange={(v) => setCustomerId(v)} loading={customers.loading}
            options={(customers.data?.items ?? []).map((c) => ({
              value: c.customer_id,
              label: `${c.customer_number ?? ""} ${c.company_name}`.trim() }))} />
          {customerId && <CustomerLedger key={customerId} customerId={customerId} />}
        </Card>
        <RulesCard rules={rules.data} months={months.data} />
        {canModify && <Row gutter={16}>
          <Col xs={24} md={12}><AnnounceRule onDone={rules.reload} /></Col>
          <Col xs={24} md={12}><EventMonths onDone={months.reload} /></Col>
        </Row>}
        <DescriptionEditor editable={canModify} />
      </Space>
    </>
  );
}

function CustomerLedger({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [page, setPage] = useState(1);
  const [redemptionPage, setRedemptionPage] = useState(1);
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { customer_id: customerId } } };
  const summary = useLoad(() => unwrap(api.GET("/api/console/points/customers/{customer_id}", path)), [customerId]);
  const movements = useLoad(() => unwrapList(api.GET("/api/console/points/customers/{customer_id}/movements", {
    params: { path: { customer_id: customerId }, query: { limit: 20, offset: (page - 1) * 20 } } })), [customerId, page]);
  const redemptions = useLoad(() => unwrapList(api.GET("/api/console/points/customers/{customer_id}/redemptions", {
    params: { path: { customer_id: customerId }, query: { limit: 20, offset: (redemptionPage - 1) * 20 } } })),
  [customerId, redemptionPage]);
  const adjust = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/points/customers/{customer_id}/adjustments", {
        ...path, body: { points: v.points, reason: v.reason.trim() } }));
      void message.success(t("points.adjusted"));
      form.resetFields();
      summary.reload(); movements.reload();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%", marginTop: 16 }}>
      <ErrorAlert error={summary.error} />
      <PointsBalances summary={summary.data} />
      {has(me?.permissions, "points:entry") && (
        <Form form={form} layout="inline" onFinish={() => void adjust()}>
          <Form.Item name="points" label={t("points.adjustPoints")} rules={[{ required: true, message: t("points.adjustPointsRequired") }]}>
            <InputNumber precision={0} placeholder="+50 / -20" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="reason" label={t("points.reason")} rules={[{ required: true, whitespace: true, message: t("points.reasonRequired") }]}>
            <Input maxLength={500} style={{ width: 280 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t("points.adjust")}</Button>
        </Form>)}
      <Tabs items={[
        { key: "movements", label: t("points.movements"), children: (
          <MovementsTable staff items={movements.data?.items} total={movements.data?.total}
            loading={movements.loading} page={page} onPage={setPage} />) },
        { key: "redemptions", label: t("points.redemptions"), children: (<>
          <ErrorAlert error={redemptions.error} />
          <RedemptionsTable items={redemptions.data?.items} total={redemptions.data?.total}
            loading={redemptions.loading} page={redemptionPage} onPage={setRedemptionPage} />
        </>) },
      ]} />
    </Space>
  );
}

function AnnounceRule({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ yuan_per_point: number; redeem_threshold: number; effective_from: Dayjs }>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/points/rules", { body: {
        yuan_per_point: String(v.yuan_per_point), redeem_threshold: v.redeem_threshold,
        effective_from: v.effective_from.format("YYYY-MM-DD") } }));
      void message.success(t("points.announcedOk"));
      form.resetFields();
      onDone();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Card title={t("points.announceRule")}>
      <Form form={form} layout="vertical" initialValues={{ yuan_per_point: 20, redeem_threshold: 100 }}
        onFinish={() => void save()}>
        <Form.Item name="yuan_per_point" label={t("points.yuanPerPoint")} rules={[{ required: true }]}>
          <InputNumber min={0.01} precision={2} addonAfter={t("points.yuan")} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="redeem_threshold" label={t("points.threshold")} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="effective_from" label={t("points.effectiveFrom")} extra={t("points.effectiveFromHint")}
          rules={[{ required: true, message: t("points.effectiveFromRequired") }]}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t("points.announce")}</Button>
      </Form>
    </Card>
  );
}

function EventMonths({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ month: Dayjs }>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.PUT("/api/console/points/event-months", { body: { months: [v.month.format("YYYY-MM")] } }));
      void message.success(t("points.announcedOk"));
      form.resetFields();
      onDone();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Card title={t("points.addEventMonth")}>
      <Form form={form} layout="vertical" onFinish={() => void save()}>
        <Form.Item name="month" label={t("points.month")} extra={t("points.effectiveFromHint")}
          rules={[{ required: true, message: t("points.monthRequired") }]}>
          <DatePicker picker="month" style={{ width: "100%" }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t("points.announce")}</Button>
      </Form>
    </Card>
  );
}

function DescriptionEditor({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<{ content: string }>();
  const content = Form.useWatch("content", form) ?? "";
  const [busy, setBusy] = useState(false);
  const current = useLoad(async () => {
    const d = await unwrap(api.GET("/api/console/points/description"));
    form.setFieldsValue({ content: d.content });
    return d;
  }, []);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.PUT("/api/console/points/description", { body: { content: v.content ?? "" } }));
      void message.success(t("common.saved"));
      current.reload();
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Card title={t("points.description")}>
      <Form form={form} layout="vertical" onFinish={() => void save()} disabled={!editable}>
        <Tabs size="small" items={[
          { key: "edit", label: t("points.edit"), forceRender: true, children: (
            <Form.Item name="content" extra={t("points.descriptionHint")}>
              <Input.TextArea rows={6} maxLength={5000} showCount />
            </Form.Item>) },
          { key: "preview", label: t("points.preview"), children: content.trim()
            ? <PointsMarkdown content={content} />
            : <Typography.Text type="secondary">{t("points.noDescription")}</Typography.Text> },
        ]} />
        {editable && <Button type="primary" htmlType="submit" loading={busy}>{t("common.save")}</Button>}
      </Form>
    </Card>
  );
}
