import { MinusCircleOutlined, PlusOutlined, SettingOutlined } from "@ant-design/icons";
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Tag } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../../api/client";
import { formatDate } from "../../../lib/dates";
import { categoryKindFor, kindOptions, paymentOptions, recordBody, recordFields } from "../../../lib/maintenance";
import type { AccessoryRow, CategoryKind, Kind, PaymentStatus } from "../../../lib/maintenance";
import { has } from "../../../lib/permissions";
import { useAuth } from "../../../shared/auth";
import { useApiError, useLoad } from "../../../shared/hooks";
import { CustomerSelect } from "../../CustomerSelect";
import { useCategories } from "./data";
import type { RecordOut } from "./parts";

interface Values {
  customer_id: string;
  kind: Kind;
  machine_id?: string;
  category_id?: string;
  service_date?: Dayjs;
  content: string;
  engineer?: string;
  accessories?: AccessoryRow[];
  charge?: number | null;
  payment_status?: PaymentStatus;
  return_to_factory?: boolean;
  factory_return_method?: string;
  key_matter?: boolean;
  processed?: boolean;
  service_request_id?: string;
}

/** 新增记录 (customer and kind chosen here) or 编辑 a record (they stay). */
export function RecordForm({ record, customerId, onClose }:
    { record?: RecordOut; customerId?: string; onClose: (saved?: RecordOut) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const { me } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [managing, setManaging] = useState(false);
  const watchedCustomer = Form.useWatch("customer_id", form);
  const watchedKind = Form.useWatch("kind", form);
  const customer = record?.customer_id ?? watchedCustomer;
  const kind: Kind = record?.kind ?? watchedKind ?? "repair";
  const factory = Form.useWatch("return_to_factory", form);
  const categories = useCategories(categoryKindFor(kind));
  const machines = useLoad(() => (customer
    ? unwrapList(api.GET("/api/console/machines", { params: { query: { customer_id: customer, limit: 100 } } }))
    : Promise.resolve({ items: [], total: 0 })), [customer]);
  const requests = useLoad(() => (customer && !record
    ? unwrapList(api.GET("/api/console/service-requests", { params: { query: { customer_id: customer, limit: 50 } } }))
    : Promise.resolve({ items: [], total: 0 })), [customer, record]);
  const canModify = has(me?.permissions, "service_desk:modify");

  const initial: Partial<Values> = record
    ? {
      customer_id: record.customer_id, kind: record.kind, machine_id: record.machine_id ?? undefined,
      category_id: record.category_id ?? undefined, service_date: dayjs(record.service_date),
      content: record.content, engineer: record.engineer ?? undefined, accessories: record.accessories,
      charge: Number(record.charge), payment_status: record.payment_status,
      return_to_factory: record.return_to_factory, factory_return_method: record.factory_return_method ?? undefined,
      key_matter: record.key_matter,
    }
    : { customer_id: customerId, kind: "repair", service_date: dayjs(), accessories: [], charge: 0,
      return_to_factory: false, key_matter: false, processed: false };

  const save = async () => {
    const v = await form.validateFields();
    const values = { ...v, service_date: v.service_date?.format("YYYY-MM-DD") ?? null };
    setBusy(true);
    try {
      const saved = record
        ? await unwrap(api.PATCH("/api/console/maintenance-records/{record_id}", {
          params: { path: { record_id: record.id } }, body: recordFields(values) }))
        : await unwrap(api.POST("/api/console/maintenance-records", { body: {
          ...recordBody(values), service_request_id: v.service_request_id ?? null } }));
      void message.success(t(record ? "maintenance.saved"
        : saved.return_visit_id ? "maintenance.addedWithVisit" : "maintenance.added"));
      onClose(saved);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };

  return (
    <Modal open title={record ? t("maintenance.edit") : t("maintenance.add")} width={760} destroyOnHidden
      onOk={() => void save()} okButtonProps={{ loading: busy }} onCancel={() => onClose()}>
      <Form form={form} layout="vertical" name="maintenance-record" initialValues={initial}
        onValuesChange={(changed: Partial<Values>) => {
          if ("customer_id" in changed) form.setFieldsValue({ machine_id: undefined, service_request_id: undefined });
          if ("kind" in changed) form.setFieldsValue({ category_id: undefined });
        }}>
        <div style={{ display: "grid", gap: "0 16px", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))" }}>
          {record
            ? <Form.Item label={t("maintenance.customer")} extra={t("maintenance.customerFixed")}>
              <Input disabled value={`${record.customer_number ?? ""} ${record.customer_name ?? ""}`.trim()} />
            </Form.Item>
            : <Form.Item name="customer_id" label={t("maintenance.customer")}
              rules={[{ required: true, message: t("maintenance.customerRequired") }]}>
              <CustomerSelect status="approved" style={{ width: "100%" }} data-testid="record-customer" />
            </Form.Item>}
          <Form.Item name="kind" label={t("maintenance.kindLabel")} rules={[{ required: true }]}>
            <Radio.Group disabled={Boolean(record)} optionType="button" options={kindOptions(t)} />
          </Form.Item>
          <Form.Item name="machine_id" label={t("maintenance.machine")}
            extra={customer && !machines.loading && !machines.data?.items.length ? t("maintenance.noMachines") : undefined}>
            <Select allowClear disabled={!customer} loading={machines.loading} data-testid="record-machine"
              placeholder={customer ? t("maintenance.pickMachine") : t("maintenance.pickCustomerFirst")}
              options={machines.data?.items.map((m) => ({ value: m.id,
                label: [m.name, m.model, m.machine_number].filter(Boolean).join(" ") }))} />
          </Form.Item>
          <Form.Item label={t(kind === "repair" ? "maintenance.faultCategory" : "maintenance.visitCategory")}
            required={false}>
            <Space.Compact style={{ width: "100%" }}>
              <Form.Item name="category_id" noStyle>
                <Select allowClear showSearch optionFilterProp="label" loading={categories.loading}
                  data-testid="record-category" placeholder={t("maintenance.pickCategory")}
                  options={categories.data?.map((c) => ({ value: c.id, label: c.name }))} />
              </Form.Item>
              {canModify && <Button icon={<SettingOutlined />} onClick={() => setManaging(true)}
                title={t("maintenance.manageCategories")} data-testid="manage-categories">
                {t("maintenance.manageCategories")}</Button>}
            </Space.Compact>
          </Form.Item>
          <Form.Item name="service_date" label={t("maintenance.serviceDate")}
            rules={[{ required: true, message: t("maintenance.serviceDateRequired") }]}>
            <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
          <Form.Item name="engineer" label={t("maintenance.engineer")}><Input maxLength={50} /></Form.Item>
        </div>
        <Form.Item name="content" label={t("maintenance.content")}
          rules={[{ required: true, whitespace: true, message: t("maintenance.contentRequired") }]}>
          <Input.TextArea rows={3} maxLength={4000} showCount placeholder={t("maintenance.contentHint")} />
        </Form.Item>
        <Form.Item label={t("maintenance.accessories")}>
          <Form.List name="accessories">
            {(fields, { add, remove }) => (<>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: "flex" }} data-testid="accessory-row">
                  <Form.Item name={[f.name, "name"]} style={{ marginBottom: 8 }}>
                    <Input placeholder={t("maintenance.accessoryName")} maxLength={50} style={{ width: 240 }}
                      aria-label={t("maintenance.accessoryName")} />
                  </Form.Item>
                  <Form.Item name={[f.name, "quantity"]} initialValue={1} style={{ marginBottom: 8 }}>
                    <InputNumber min={1} max={10000} precision={0} addonAfter={t("maintenance.pieces")}
                      aria-label={t("maintenance.accessoryQuantity")} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t("common.delete")} />
                </Space>))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} disabled={fields.length >= 20}>
                {t("maintenance.addAccessory")}</Button>
            </>)}
          </Form.List>
        </Form.Item>
        <div style={{ display: "grid", gap: "0 16px", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))" }}>
          <Form.Item name="charge" label={t("maintenance.charge")}>
            <InputNumber min={0} max={1000000} precision={2} step={10} addonBefore="¥" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="payment_status" label={t("maintenance.paymentStatus")} extra={t("maintenance.paymentHint")}>
            <Select allowClear options={paymentOptions(t)} placeholder={t("maintenance.paymentAuto")} />
          </Form.Item>
          {!record && <Form.Item name="service_request_id" label={t("maintenance.serviceRequest")}>
            <Select allowClear disabled={!customer} loading={requests.loading} placeholder={t("maintenance.pickServiceRequest")}
              options={requests.data?.items.map((s) => ({ value: s.id,
                label: `${formatDate(s.created_at)} ${s.description.slice(0, 40)}` }))} />
          </Form.Item>}
        </div>
        <Space size="large" wrap>
          <Form.Item name="return_to_factory" label={t("maintenance.returnToFactory")} valuePropName="checked">
            <Switch data-testid="switch-factory" />
          </Form.Item>
          <Form.Item name="key_matter" label={t("maintenance.keyMatter")} valuePropName="checked">
            <Switch data-testid="switch-key" />
          </Form.Item>
          {!record && <Form.Item name="processed" label={t("maintenance.processedNow")} valuePropName="checked"
            tooltip={t("maintenance.processedNowHint")}>
            <Switch data-testid="switch-processed" />
          </Form.Item>}
        </Space>
        {factory && <Form.Item name="factory_return_method" label={t("maintenance.factoryMethod")}
          rules={[{ required: true, whitespace: true, message: t("maintenance.factoryMethodRequired") }]}>
          <Input maxLength={100} placeholder={t("maintenance.factoryMethodHint")} />
        </Form.Item>}
      </Form>
      {managing && <CategoryModal kind={categoryKindFor(kind)} onClose={(added) => {
        setManaging(false);
        if (added) { categories.reload(); form.setFieldsValue({ category_id: added }); }
      }} />}
    </Modal>
  );
}

/** 管理分类: the kind's categories and a name to add (service_desk:modify; 409 duplicate). */
export function CategoryModal({ kind, onClose }: { kind: CategoryKind; onClose: (added?: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const list = useCategories(kind);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!name.trim()) return;
    setBusy(true);
    try {
      const added = await unwrap(api.POST("/api/console/maintenance/categories", { body: { kind, name: name.trim() } }));
      void message.success(t("maintenance.categoryAdded", { name: added.name }));
      onClose(added.id);
    } catch (err) { report(err); } finally { setBusy(false); }
  };
  return (
    <Modal open title={t(`maintenance.categoryKind.${kind}`)} onCancel={() => onClose()} footer={null} destroyOnHidden>
      <div style={{ marginBottom: 12 }}>
        {list.data?.length ? list.data.map((c) => <Tag key={c.id}>{c.name}</Tag>)
          : t("maintenance.noCategories")}
      </div>
      <Space.Compact style={{ width: "100%" }}>
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={50} onPressEnter={() => void add()}
          placeholder={t("maintenance.newCategory")} aria-label={t("maintenance.newCategory")} />
        <Button type="primary" loading={busy} disabled={!name.trim()} onClick={() => void add()}>
          {t("maintenance.addCategory")}</Button>
      </Space.Compact>
    </Modal>
  );
}
