import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table,
  Tag, Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { collectionOptions, consumablePaymentOptions, MAX_WARRANTY_MONTHS, warrantyUntil } from "../../lib/machines";
import type { CollectionStatus, ConsumablePaymentMethod } from "../../lib/machines";
import { when } from "../../lib/orders";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad } from "../../shared/hooks";
import { CollectionTag, MachineDescriptions, WarrantyCell } from "../../shared/Machines";
import type { Machine } from "../../shared/Machines";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { CustomerSelect } from "../CustomerSelect";

type Warranty = "all" | "in" | "expired";
const PAGE = 20;

/** 设备档案 (S-2, C-7): the machines customers bought, their warranty and collection, and
 *  each machine's fault reports; staff bound to areas see their areas' customers only. */
export function MachinesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [warranty, setWarranty] = useState<Warranty>("all");
  const [customerId, setCustomerId] = useState<string>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Machine | "new">();
  const [shown, setShown] = useState<Machine>();
  useEffect(() => {
    const timer = window.setTimeout(() => { setQ(typed.trim()); setPage(1); }, 300);
    return () => window.clearTimeout(timer);
  }, [typed]);
  const list = useLoad(() => unwrapList(api.GET("/api/console/machines", { params: { query: {
    q: q || undefined, warranty: warranty === "all" ? undefined : warranty, customer_id: customerId,
    limit: PAGE, offset: (page - 1) * PAGE } } })), [q, warranty, customerId, page]);
  const canEnter = has(me?.permissions, "service_desk:entry");

  return (
    <>
      <PageTitle title={t("machines.title")} sub={t("machines.sub")}
        extra={canEnter && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
          {t("machines.add")}</Button>} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Space wrap style={{ padding: 16 }}>
          <Input.Search allowClear placeholder={t("machines.search")} style={{ width: 300, maxWidth: "100%" }}
            value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="machines-search" />
          <Segmented<Warranty> value={warranty} onChange={(v) => { setWarranty(v); setPage(1); }} options={[
            { value: "all", label: t("machines.warrantyFilter.all") },
            { value: "in", label: t("machines.warrantyFilter.in") },
            { value: "expired", label: t("machines.warrantyFilter.expired") },
          ]} />
          <CustomerSelect value={customerId} placeholder={t("machines.customerFilter")}
            style={{ width: 280, maxWidth: "100%" }} data-testid="machines-customer"
            onChange={(v) => { setCustomerId(typeof v === "string" ? v : undefined); setPage(1); }} />
        </Space>
        <Table<Machine> rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1200 }}
          data-testid="machines-table" locale={{ emptyText: t("machines.empty") }}
          onRow={(m) => ({ onClick: () => setShown(m), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize: PAGE, total: list.data?.total, onChange: setPage,
            showSizeChanger: false, showTotal: (n) => t("common.total", { n }) }}
          columns={[
            ellipsisColumn<Machine>({ title: t("machines.customer"), key: "customer", width: 180,
              render: (_: unknown, m: Machine) => (
                <span title={m.customer_name ?? ""}>{m.customer_name ?? "—"}
                  {m.customer_number && <Typography.Text type="secondary"> {m.customer_number}</Typography.Text>}</span>) }),
            ellipsisColumn<Machine>({ title: t("machines.machine"), key: "machine", width: 200,
              render: (_: unknown, m: Machine) => {
                const text = m.model ? `${m.name} ${m.model}` : m.name;
                return <span title={text}>{m.name}{m.model && <Typography.Text type="secondary"> {m.model}</Typography.Text>}</span>;
              } }),
            ellipsisColumn<Machine>({ title: t("machines.machineNumber"), dataIndex: "machine_number", width: 140,
              render: (v: string | null) => v ?? "—" }),
            { title: t("machines.quantity"), dataIndex: "quantity", width: 70, align: "right" },
            { title: t("machines.purchaseDate"), dataIndex: "purchase_date", width: 110 },
            { title: t("machines.warranty"), key: "warranty", width: 170,
              render: (_: unknown, m: Machine) => <WarrantyCell machine={m} /> },
            { title: t("machines.collectionStatus"), dataIndex: "collection_status", width: 100,
              render: (s: string) => <CollectionTag status={s} /> },
            ellipsisColumn<Machine>({ title: t("machines.installationEngineer"), dataIndex: "installation_engineer", width: 110,
              render: (v: string | null) => v ?? "—" }),
            { title: t("common.actions"), key: "actions", width: 150, fixed: "right",
              render: (_: unknown, m: Machine) => (
                <Space size="small" onClick={(e) => e.stopPropagation()}>
                  <Button size="small" type="link" onClick={() => setShown(m)}>{t("machines.details")}</Button>
                  {canEnter && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(m)}>
                    {t("common.edit")}</Button>}
                </Space>) },
          ]} />
      </Card>
      {editing && <MachineModal machine={editing === "new" ? undefined : editing} customerId={customerId}
        onClose={(saved) => {
          setEditing(undefined);
          if (saved) { list.reload(); if (shown?.id === saved.id) setShown(saved); }
        }} />}
      {shown && <MachineDrawer machine={shown} onClose={() => setShown(undefined)}
        onEdit={canEnter ? () => setEditing(shown) : undefined} />}
    </>
  );
}

interface Values {
  customer_id: string;
  name: string;
  model?: string;
  quantity: number;
  machine_number?: string;
  purchase_date: Dayjs;
  warranty_months: number;
  collection_status: CollectionStatus;
  consumable_payment_method?: ConsumablePaymentMethod | null;
  salesperson?: string;
  installation_engineer?: string;
  integrity?: string;
  remark?: string;
}

const opt = (v: string | undefined) => v?.trim() || null;

/** Add a machine (customer required) or edit one (its customer stays). */
function MachineModal({ machine, customerId, onClose }:
    { machine?: Machine; customerId?: string; onClose: (saved?: Machine) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const purchase = Form.useWatch("purchase_date", form);
  const months = Form.useWatch("warranty_months", form);
  const until = purchase && typeof months === "number" ? warrantyUntil(purchase.format("YYYY-MM-DD"), months) : null;
  const initial: Partial<Values> = machine
    ? { ...machine, model: machine.model ?? undefined, machine_number: machine.machine_number ?? undefined,
      salesperson: machine.salesperson ?? undefined, installation_engineer: machine.installation_engineer ?? undefined,
      integrity: machine.integrity ?? undefined, remark: machine.remark ?? undefined,
      purchase_date: dayjs(machine.purchase_date) }
    : { customer_id: customerId, quantity: 1, warranty_months: 12, collection_status: "unpaid" };

  const save = async () => {
    const v = await form.validateFields();
    const fields = {
      purchase_date: v.purchase_date.format("YYYY-MM-DD"), name: v.name.trim(), model: opt(v.model),
      quantity: v.quantity, machine_number: opt(v.machine_number), collection_status: v.collection_status,
      warranty_months: v.warranty_months, consumable_payment_method: v.consumable_payment_method ?? null,
      salesperson: opt(v.salesperson), installation_engineer: opt(v.installation_engineer),
      integrity: opt(v.integrity), remark: opt(v.remark),
    };
    setBusy(true);
    try {
      const saved = machine
        ? await unwrap(api.PATCH("/api/console/machines/{machine_id}", {
          params: { path: { machine_id: machine.id } }, body: fields }))
        : await unwrap(api.POST("/api/console/machines", { body: { ...fields, customer_id: v.customer_id } }));
      void message.success(t(machine ? "machines.saved" : "machines.added"));
      onClose(saved);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };

  return (
    <Modal open title={machine ? t("machines.edit") : t("machines.add")} width={720}
      onOk={() => void save()} okButtonProps={{ loading: busy }} onCancel={() => onClose()}>
      <Form form={form} layout="vertical" name="machine" initialValues={initial}>
        {machine
          ? <Form.Item label={t("machines.customer")} extra={t("machines.customerFixed")}>
            <Input disabled value={`${machine.customer_number ?? ""} ${machine.customer_name ?? ""}`.trim()} />
          </Form.Item>
          : <Form.Item name="customer_id" label={t("machines.customer")}
            rules={[{ required: true, message: t("machines.customerRequired") }]}>
            <CustomerSelect status="approved" style={{ width: "100%" }} data-testid="machine-customer" />
          </Form.Item>}
        <div className="machine-form-grid" style={{ display: "grid", gap: "0 16px",
          gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))" }}>
          <Form.Item name="name" label={t("machines.name")}
            rules={[{ required: true, whitespace: true, message: t("machines.nameRequired") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="model" label={t("machines.model")}><Input maxLength={100} /></Form.Item>
          <Form.Item name="machine_number" label={t("machines.machineNumber")} tooltip={t("machines.machineNumberHint")}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="quantity" label={t("machines.quantity")}
            rules={[{ required: true, message: t("machines.quantityRequired") }]}>
            <InputNumber min={1} max={10000} precision={0} addonAfter={t("machines.units")} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="purchase_date" label={t("machines.purchaseDate")}
            rules={[{ required: true, message: t("machines.purchaseDateRequired") }]}>
            <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
          <Form.Item name="warranty_months" label={t("machines.warrantyMonths")}
            rules={[{ required: true, message: t("machines.warrantyMonthsRequired") }]}
            extra={<span data-testid="warranty-preview">{!purchase ? t("machines.pickPurchaseDate")
              : until ? t("machines.warrantyUntilPreview", { date: until }) : t("machines.noWarrantyPreview")}</span>}>
            <InputNumber min={0} max={MAX_WARRANTY_MONTHS} precision={0} addonAfter={t("machines.months")}
              style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="collection_status" label={t("machines.collectionStatus")} rules={[{ required: true }]}>
            <Select options={collectionOptions(t)} />
          </Form.Item>
          <Form.Item name="consumable_payment_method" label={t("machines.consumablePayment")}>
            <Select allowClear options={consumablePaymentOptions(t)} />
          </Form.Item>
          <Form.Item name="salesperson" label={t("machines.salesperson")}><Input maxLength={50} /></Form.Item>
          <Form.Item name="installation_engineer" label={t("machines.installationEngineer")}>
            <Input maxLength={50} />
          </Form.Item>
        </div>
        <Form.Item name="integrity" label={t("machines.integrity")} extra={t("machines.integrityHint")}>
          <Input maxLength={200} showCount />
        </Form.Item>
        <Form.Item name="remark" label={t("machines.remark")}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Report = Schemas["ServiceRequestSummary"];
const REQUEST_COLORS: Record<string, string> = { open: "processing", in_progress: "warning", resolved: "success" };

/** A machine's every field and its fault reports (GET service-requests?machine_id=). */
function MachineDrawer({ machine, onClose, onEdit }: { machine: Machine; onClose: () => void; onEdit?: () => void }) {
  const { t } = useTranslation();
  const reports = useLoad(() => unwrapList(api.GET("/api/console/service-requests", {
    params: { query: { machine_id: machine.id, limit: 100 } } })), [machine.id]);
  return (
    <Drawer open onClose={onClose} width="min(640px, 100vw)" title={machine.name}
      extra={onEdit && <Button icon={<EditOutlined />} onClick={onEdit}>{t("common.edit")}</Button>}>
      <div data-testid="machine-drawer">
        <MachineDescriptions machine={machine} />
        <Typography.Title level={5} style={{ marginTop: 24 }}>{t("machines.faultReports")}</Typography.Title>
        <ErrorAlert error={reports.error} />
        <Table<Report> rowKey="id" size="small" loading={reports.loading} dataSource={reports.data?.items}
          pagination={false} data-testid="machine-reports" locale={{ emptyText: t("machines.noFaultReports") }}
          columns={[
            { title: t("machines.reportedAt"), dataIndex: "created_at", width: 140, render: (v: string) => when(v) },
            ellipsisColumn<Report>({ title: t("machines.faultDescription"), dataIndex: "description",
              render: (v: string) => <span title={v}>{v}</span> }),
            { title: t("field.status"), dataIndex: "status", width: 90,
              render: (s: string) => <Tag color={REQUEST_COLORS[s] ?? "default"}>{t(`machines.requestStatus.${s}`, s)}</Tag> },
          ]} />
      </div>
    </Drawer>
  );
}
