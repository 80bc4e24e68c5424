import { ArrowLeftOutlined, DownloadOutlined, PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tabs, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { isMenu, kindOptions, menuKey, MENUS, paymentOptions } from "../../lib/maintenance";
import type { Kind, MaintenanceMenu, PaymentStatus, RecordMenu } from "../../lib/maintenance";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";
import { RecordDrawer } from "./maintenance/RecordDrawer";
import { RecordForm } from "./maintenance/RecordForm";
import { useCategories } from "./maintenance/data";
import { RecordsTable } from "./maintenance/parts";
import type { RecordQuery } from "./maintenance/parts";
import { StatsPanel } from "./maintenance/StatsPanel";

type UnprocessedCustomer = Schemas["UnprocessedCustomer"];

/** 维修记录 (S-3..S-9, B-5): the seed's six menus as tabs — 维修内容, 返厂维修, 重点事项,
 *  未处理事项 (grouped by customer, drilling down to the records where work continues),
 *  挂起事项 and 查询统计 — with 新增记录 and a record's drawer. The tab and the
 *  drilled-down customer are in the address (?menu=&customer=), so they survive a reload. */
export function MaintenancePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const menu: MaintenanceMenu = isMenu(params.get("menu")) ? params.get("menu") as MaintenanceMenu : "content";
  const drilled = params.get("customer") ?? undefined;
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string>();
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((n) => n + 1);
  const canEnter = has(me?.permissions, "service_desk:entry");

  const go = (next: MaintenanceMenu, customer?: string) => {
    const p = new URLSearchParams();
    if (next !== "content") p.set("menu", next);
    if (customer) p.set("customer", customer);
    setParams(p);
  };

  const records = (m: RecordMenu) => (
    <RecordsTable query={{ menu: m }} version={version} onOpen={setOpen} testId={`records-${m}`}
      emptyText={t(`maintenance.emptyMenu.${m}`)} />);

  return (
    <>
      <PageTitle title={t("maintenance.title")} sub={t("maintenance.sub")}
        extra={canEnter && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t("maintenance.add")}</Button>} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs activeKey={menu} onChange={(k) => go(k as MaintenanceMenu)} destroyOnHidden data-testid="maintenance-tabs"
          items={MENUS.map((m) => ({
            key: m, label: t(menuKey(m)),
            children: m === "query" ? <QueryTab version={version} onOpen={setOpen} />
              : m === "unprocessed" ? <UnprocessedTab customerId={drilled} version={version} onOpen={setOpen}
                onDrill={(c) => go("unprocessed", c)} />
              : records(m),
          }))} />
      </Card>
      {adding && <RecordForm customerId={menu === "unprocessed" ? drilled : undefined} onClose={(saved) => {
        setAdding(false);
        if (saved) bump();
      }} />}
      {open && <RecordDrawer id={open} onOpen={setOpen} onClose={() => setOpen(undefined)} onChanged={bump} />}
    </>
  );
}

/** 未处理事项: customers with unprocessed records; one customer's records after a click. */
function UnprocessedTab({ customerId, version, onOpen, onDrill }: { customerId?: string; version: number;
    onOpen: (id: string) => void; onDrill: (customerId?: string) => void }) {
  const { t } = useTranslation();
  const groups = useLoad(() => unwrap(api.GET("/api/console/maintenance/unprocessed")), [version]);
  if (customerId) {
    const group = groups.data?.find((g) => g.customer_id === customerId);
    return (
      <div data-testid="unprocessed-drilldown">
        <Space style={{ marginBottom: 12 }} wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => onDrill(undefined)}>{t("maintenance.backToCustomers")}</Button>
          <Typography.Text strong data-testid="drilled-customer">
            {t("maintenance.customerUnprocessed", { name: group
              ? `${group.customer_number ?? ""} ${group.customer_name ?? ""}`.trim() : t("maintenance.thisCustomer") })}
          </Typography.Text>
        </Space>
        <RecordsTable query={{ menu: "unprocessed", customer_id: customerId }} version={version} onOpen={onOpen}
          testId="records-unprocessed-customer" emptyText={t("maintenance.emptyMenu.unprocessed")} />
      </div>
    );
  }
  return (
    <>
      <ErrorAlert error={groups.error} />
      <Typography.Paragraph type="secondary">{t("maintenance.unprocessedHint")}</Typography.Paragraph>
      <Table<UnprocessedCustomer> rowKey="customer_id" loading={groups.loading} dataSource={groups.data}
        data-testid="unprocessed-customers" scroll={{ x: 900 }} pagination={{ pageSize: 20, showSizeChanger: false,
          showTotal: (n) => t("common.total", { n }) }}
        locale={{ emptyText: t("maintenance.emptyMenu.unprocessed") }}
        onRow={(g) => ({ onClick: () => onDrill(g.customer_id), style: { cursor: "pointer" } })}
        columns={[
          ellipsisColumn<UnprocessedCustomer>({ title: t("maintenance.customer"), key: "customer", width: 220,
            render: (_: unknown, g: UnprocessedCustomer) => <span>{g.customer_name ?? "—"}
              {g.customer_number && <Typography.Text type="secondary"> {g.customer_number}</Typography.Text>}</span> }),
          ellipsisColumn<UnprocessedCustomer>({ title: t("maintenance.area"), dataIndex: "area", width: 100 }),
          { title: t("maintenance.unprocessedRepairs"), dataIndex: "repairs", width: 120, align: "right" },
          { title: t("maintenance.unprocessedVisits"), dataIndex: "return_visits", width: 120, align: "right" },
          { title: t("maintenance.keyMatters"), dataIndex: "key_matters", width: 100, align: "right" },
          { title: t("maintenance.oldest"), dataIndex: "oldest_service_date", width: 120 },
          { title: t("maintenance.nextDue"), dataIndex: "next_due_on", width: 120, render: (v: string | null) => v ?? "—" },
          { title: t("common.actions"), key: "open", width: 110, fixed: "right", render: (_: unknown, g: UnprocessedCustomer) =>
            <Button size="small" type="link" onClick={(e) => { e.stopPropagation(); onDrill(g.customer_id); }}>
              {t("maintenance.drillDown")}</Button> },
        ]} />
    </>
  );
}

interface QueryValues {
  customer_id?: string;
  area?: string;
  kind?: Kind;
  category_id?: string;
  engineer?: string;
  accessory?: string;
  payment_status?: PaymentStatus;
  period?: [Dayjs | null, Dayjs | null] | null;
  q?: string;
}

const text = (v?: string) => v?.trim() || undefined;

/** The query's records as .xlsx (S-9), with the same conditions as the table. */
function exportUrl(query: RecordQuery, language: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, String(value));
  params.set("lang", language.startsWith("zh") ? "zh" : "en");
  return `/api/console/maintenance-records/export.xlsx?${params.toString()}`;
}

/** 查询统计: records by several conditions, and the year's statistics. */
function QueryTab({ version, onOpen }: { version: number; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<QueryValues>();
  const [query, setQuery] = useState<RecordQuery>({});
  const kind = Form.useWatch("kind", form);
  const categories = useCategories(kind ? (kind === "repair" ? "fault" : "visit") : undefined);
  const search = (v: QueryValues) => setQuery({
    customer_id: v.customer_id, area: text(v.area), kind: v.kind, category_id: v.category_id,
    engineer: text(v.engineer), accessory: text(v.accessory), payment_status: v.payment_status,
    from: v.period?.[0]?.format("YYYY-MM-DD"), to: v.period?.[1]?.format("YYYY-MM-DD"), q: text(v.q),
  });
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Form form={form} layout="inline" name="maintenance-query" onFinish={search} data-testid="maintenance-query"
        style={{ rowGap: 12 }} onValuesChange={(changed: QueryValues) => {
          if ("kind" in changed) form.setFieldsValue({ category_id: undefined });
        }}>
        <Form.Item name="customer_id" label={t("maintenance.customer")}>
          <CustomerSelect style={{ width: 220 }} data-testid="query-customer" />
        </Form.Item>
        <Form.Item name="area" label={t("maintenance.area")}><Input allowClear style={{ width: 120 }} /></Form.Item>
        <Form.Item name="kind" label={t("maintenance.kindLabel")}>
          <Select allowClear options={kindOptions(t)} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="category_id" label={t("maintenance.category")}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 160 }} loading={categories.loading}
            options={categories.data?.map((c) => ({ value: c.id,
              label: kind ? c.name : `${c.name}（${t(`maintenance.categoryKindShort.${c.kind}`)}）` }))} />
        </Form.Item>
        <Form.Item name="engineer" label={t("maintenance.engineer")}><Input allowClear style={{ width: 120 }} /></Form.Item>
        <Form.Item name="accessory" label={t("maintenance.accessoryName")}><Input allowClear style={{ width: 140 }} /></Form.Item>
        <Form.Item name="payment_status" label={t("maintenance.paymentStatus")}>
          <Select allowClear options={paymentOptions(t)} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="period" label={t("maintenance.period")}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="q" label={t("maintenance.keyword")}>
          <Input allowClear style={{ width: 180 }} placeholder={t("maintenance.keywordHint")} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t("maintenance.search")}</Button>
            <Button onClick={() => { form.resetFields(); setQuery({}); }}>{t("maintenance.reset")}</Button>
            <Button icon={<DownloadOutlined />} href={exportUrl(query, i18n.language)} data-testid="maintenance-export">
              {t("maintenance.export")}</Button>
          </Space>
        </Form.Item>
      </Form>
      <RecordsTable query={query} version={version} onOpen={onOpen} testId="records-query" />
      <StatsPanel />
    </Space>
  );
}
