import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { required } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { actionsColumn, ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";

type Product = Schemas["ProductOut"];
type Category = Schemas["Category"];
const CATEGORIES: Category[] = ["consumable", "accessory", "machine", "service"];

interface Values { name: string; model: string; category: Category; list_price: string; active?: boolean }

/** The product master (name + model unique). */
export function ProductsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [q, setQ] = useState("");
  const [category, setCategory] = useState<Category>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Product | "new">();
  const list = useLoad(() => unwrapList(api.GET("/api/console/products", { params: { query: {
    q: q || undefined, category, limit: 20, offset: (page - 1) * 20 } } })), [q, category, page]);
  const canCreate = has(me?.permissions, "customers:entry");
  const canModify = has(me?.permissions, "customers:modify");

  return (
    <>
      <PageTitle title={t("products.title")}
        extra={canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("products.add")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input.Search allowClear placeholder={t("products.search")} style={{ width: 280 }}
            onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
          <Select<Category> allowClear placeholder={t("field.category")} style={{ width: 140 }} value={category}
            onChange={(v) => { setCategory(v); setPage(1); }}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Product> rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 860 }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            ellipsisColumn<Product>({ title: t("field.product"), dataIndex: "name", width: 240 }),
            ellipsisColumn<Product>({ title: t("field.model"), dataIndex: "model", width: 160 }),
            { title: t("field.category"), dataIndex: "category", width: 100, render: (c: string) => <Tag>{t(`category.${c}`, c)}</Tag> },
            { title: t("field.list_price"), dataIndex: "list_price", width: 120, align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("products.state"), dataIndex: "active",
              render: (a: boolean) => a ? <Tag color="green">{t("products.active")}</Tag> : <Tag>{t("products.inactive")}</Tag> },
            ...(canModify ? [actionsColumn<Product>(t("common.actions"), 100, (p) =>
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)}>{t("common.edit")}</Button>)] : []),
          ]} />
      </Card>
      {editing && <ProductModal product={editing === "new" ? undefined : editing}
        onClose={(done) => { setEditing(undefined); if (done) list.reload(); }} />}
    </>
  );
}

function ProductModal({ product, onClose }: { product?: Product; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = { name: v.name.trim(), model: v.model.trim(), category: v.category, list_price: v.list_price.trim() };
      if (product) {
        await unwrap(api.PUT("/api/console/products/{product_id}", {
          params: { path: { product_id: product.id } }, body: { ...body, active: v.active ?? true } }));
      } else {
        await unwrap(api.POST("/api/console/products", { body }));
      }
      void message.success(t("common.saved"));
      onClose(true);
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={product ? t("products.edit") : t("products.add")} onOk={() => void save()}
      okButtonProps={{ loading: busy }} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" name="product"
        initialValues={product ?? { category: "consumable", active: true }}>
        <Form.Item name="name" label={t("field.product")} required rules={[rule(required(200), { n: 200 })]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="model" label={t("field.model")} required rules={[rule(required(200), { n: 200 })]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="category" label={t("field.category")} required>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
        </Form.Item>
        <Form.Item name="list_price" label={t("field.list_price")} required
          rules={[{ validator: (_r, v?: string) => /^\d+(\.\d{1,2})?$/.test((v ?? "").trim())
            ? Promise.resolve() : Promise.reject(new Error(t("validation.price"))) }]}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
        {product && <Form.Item name="active" label={t("products.state")} valuePropName="checked"
          extra={t("products.inactiveHint")}><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}
