import { CheckOutlined, CloseOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Select, Space, Table,
  Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { has } from "../../lib/permissions";
import { price, reason as reasonCheck, required } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type Customer = Schemas["CustomerSummary"];
type Product = Schemas["ProductOut"];
type Category = Schemas["Category"];

interface Row {
  product_id?: string;
  name?: string;
  model?: string;
  category?: Category;
  list_price?: string;
  unit_price?: string;
}

/** Registrations waiting for review (C-2): approve with consumables and prices, or reject. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [page, setPage] = useState(1);
  const queue = useLoad(() => unwrapList(api.GET("/api/console/customers", {
    params: { query: { status: "pending_review", limit: 20, offset: (page - 1) * 20 } },
  })), [page]);
  const [approving, setApproving] = useState<Customer>();
  const [rejecting, setRejecting] = useState<Customer>();
  const canReview = has(me?.permissions, "customers:review");

  useEffect(() => {
    const again = (e: Event) => {
      if ((e as CustomEvent<{ kind: string }>).detail?.kind === "customer_registered") queue.reload();
    };
    window.addEventListener("dinghuo:prompt", again);
    return () => window.removeEventListener("dinghuo:prompt", again);
  }, [queue]);

  return (
    <>
      <PageTitle title={t("reviewQueue.title")} sub={t("reviewQueue.sub")} />
      <ErrorAlert error={queue.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Customer>
          rowKey="customer_id"
          loading={queue.loading}
          dataSource={queue.data?.items}
          scroll={{ x: 1080 }}
          pagination={{ current: page, pageSize: 20, total: queue.data?.total, onChange: setPage,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            ellipsisColumn<Customer>({ title: t("field.customer_number"), dataIndex: "customer_number", width: 110 }),
            ellipsisColumn<Customer>({ title: t("field.name"), dataIndex: "name", width: 220 }),
            ellipsisColumn<Customer>({ title: t("field.contact_person"), dataIndex: "contact_person", width: 120 }),
            ellipsisColumn<Customer>({ title: t("field.mobile"), dataIndex: "mobile", width: 130 }),
            ellipsisColumn<Customer>({ title: t("field.area"), dataIndex: "area", width: 140 }),
            { title: t("field.registered_at"), dataIndex: "created_at", width: 150, render: (v: string) => formatDateTime(v) },
            { title: t("common.actions"), key: "actions", fixed: "right", width: 200,
              render: (_: unknown, c) => canReview && (
                <Space>
                  <Button type="primary" size="small" icon={<CheckOutlined />} onClick={() => setApproving(c)}>{t("reviewQueue.approve")}</Button>
                  <Button danger size="small" icon={<CloseOutlined />} onClick={() => setRejecting(c)}>{t("reviewQueue.reject")}</Button>
                </Space>
              ) },
          ]}
        />
      </Card>
      {approving && <ApproveDrawer customer={approving} onClose={(done) => { setApproving(undefined); if (done) queue.reload(); }} />}
      {rejecting && <RejectModal customer={rejecting} onClose={(done) => { setRejecting(undefined); if (done) queue.reload(); }} />}
    </>
  );
}

function RejectModal({ customer, onClose }: { customer: Customer; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/customers/{customer_id}/reject", {
        params: { path: { customer_id: customer.customer_id } }, body: { reason: reason.trim() },
      }));
      void message.success(t("reviewQueue.rejected", { name: customer.name }));
      onClose(true);
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t("reviewQueue.rejectTitle", { name: customer.name })} okText={t("reviewQueue.reject")}
      okButtonProps={{ danger: true, loading: busy }} onOk={() => void submit()} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" name="reject">
        <Form.Item name="reason" label={t("field.reason")} required rules={[rule(reasonCheck, { n: 500 })]}
          extra={t("reviewQueue.reasonHint")}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApproveDrawer({ customer, onClose }: { customer: Customer; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<{ products: Row[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState("");
  const detail = useLoad(() => unwrap(api.GET("/api/console/customers/{customer_id}", {
    params: { path: { customer_id: customer.customer_id } } })), [customer.customer_id]);
  const products = useLoad(() => unwrapList(api.GET("/api/console/products", {
    params: { query: { q: search || undefined, limit: 50 } } })), [search]);

  const addExisting = (id: string) => {
    const p = products.data?.items.find((x) => x.id === id);
    if (!p) return;
    const rows = form.getFieldValue("products") as Row[] ?? [];
    if (rows.some((r) => r.product_id === p.id)) return;
    form.setFieldValue("products", [...rows, {
      product_id: p.id, name: p.name, model: p.model, category: p.category,
      list_price: p.list_price, unit_price: p.list_price,
    }]);
  };

  const submit = async (values: { products: Row[] }) => {
    setError(undefined);
    if (!values.products?.length) { setError(new Error(t("reviewQueue.needProducts"))); return; }
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/customers/{customer_id}/approve", {
        params: { path: { customer_id: customer.customer_id } },
        body: { products: values.products.map((r) => r.product_id
          ? { product_id: r.product_id, unit_price: r.unit_price!.trim() }
          : { name: r.name!.trim(), model: r.model!.trim(), category: r.category ?? "consumable",
              unit_price: r.unit_price!.trim(), list_price: r.list_price?.trim() || null }) },
      }));
      void message.success(t("reviewQueue.approved", { name: customer.name }));
      onClose(true);
    } catch (err) {
      setError(err);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  const c = detail.data;
  return (
    <Drawer open width={Math.min(980, window.innerWidth)} title={t("reviewQueue.approveTitle", { name: customer.name })}
      onClose={() => onClose(false)}
      extra={<Button type="primary" loading={busy} icon={<CheckOutlined />} onClick={() => form.submit()}>{t("reviewQueue.approveSubmit")}</Button>}>
      {c && (
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t("field.name")}>{c.name}</Descriptions.Item>
          <Descriptions.Item label={t("field.customer_number")}>{c.customer_number}</Descriptions.Item>
          <Descriptions.Item label={t("field.contact_person")}>{c.contact_person}</Descriptions.Item>
          <Descriptions.Item label={t("field.mobile")}>{c.mobile}</Descriptions.Item>
          <Descriptions.Item label={t("field.email")}>{c.email}</Descriptions.Item>
          <Descriptions.Item label={t("field.area")}>{c.area ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("field.address")} span={2}>{c.address}</Descriptions.Item>
          {c.tax_number && <Descriptions.Item label={t("field.tax_number")}>{c.tax_number}</Descriptions.Item>}
          {c.invoice_title && <Descriptions.Item label={t("field.invoice_title")}>{c.invoice_title}</Descriptions.Item>}
        </Descriptions>
      )}
      <Typography.Title level={5}>{t("reviewQueue.products")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("reviewQueue.productsHint")}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<string> showSearch style={{ width: 320 }} placeholder={t("reviewQueue.pickProduct")}
          filterOption={false} onSearch={setSearch} loading={products.loading} value={null as unknown as string}
          onChange={addExisting} data-testid="pick-product"
          options={(products.data?.items ?? []).map((p: Product) => ({ value: p.id, label: `${p.name} · ${p.model}` }))} />
        <Button icon={<PlusOutlined />} data-testid="add-product"
          onClick={() => form.setFieldValue("products", [...(form.getFieldValue("products") ?? []), { category: "consumable" }])}>
          {t("reviewQueue.newProduct")}</Button>
      </Space>
      <Form form={form} name="approve" onFinish={submit} initialValues={{ products: [] }} component="div">
        <Form.List name="products">
          {(fields, { remove }) => (
            <Table
              rowKey="key"
              dataSource={fields}
              pagination={false}
              size="small"
              scroll={{ x: 860 }}
              locale={{ emptyText: t("reviewQueue.noProducts") }}
              columns={[
                { title: t("field.product"), key: "name", render: (_: unknown, f) => {
                  const existing = !!form.getFieldValue(["products", f.name, "product_id"]);
                  return <Form.Item name={[f.name, "name"]} style={{ margin: 0 }}
                    rules={existing ? [] : [rule(required(200), { n: 200 })]}>
                    <Input disabled={existing} placeholder={t("field.product")} />
                  </Form.Item>;
                } },
                { title: t("field.model"), key: "model", render: (_: unknown, f) => {
                  const existing = !!form.getFieldValue(["products", f.name, "product_id"]);
                  return <Form.Item name={[f.name, "model"]} style={{ margin: 0 }}
                    rules={existing ? [] : [rule(required(200), { n: 200 })]}>
                    <Input disabled={existing} placeholder={t("field.model")} />
                  </Form.Item>;
                } },
                { title: t("field.category"), key: "category", width: 120, render: (_: unknown, f) => (
                  <Form.Item name={[f.name, "category"]} style={{ margin: 0 }}>
                    <Select disabled={!!form.getFieldValue(["products", f.name, "product_id"])}
                      options={["consumable", "accessory", "machine", "service"].map((v) => ({ value: v, label: t(`category.${v}`) }))} />
                  </Form.Item>) },
                { title: t("field.list_price"), key: "list_price", width: 130, render: (_: unknown, f) => {
                  const existing = !!form.getFieldValue(["products", f.name, "product_id"]);
                  return <Form.Item name={[f.name, "list_price"]} style={{ margin: 0 }}
                    rules={existing ? [] : [{ validator: (_r, v?: string) => !v ? Promise.resolve()
                      : price(v) ? Promise.reject(new Error(t(price(v)!))) : Promise.resolve() }]}>
                    <Input disabled={existing} prefix="¥" placeholder="0.00" inputMode="decimal" />
                  </Form.Item>;
                } },
                { title: t("field.unit_price"), key: "unit_price", width: 140, render: (_: unknown, f) => (
                  <Form.Item name={[f.name, "unit_price"]} style={{ margin: 0 }} rules={[rule(price)]}>
                    <Input prefix="¥" placeholder="0.00" inputMode="decimal" />
                  </Form.Item>) },
                { title: "", key: "remove", width: 50, render: (_: unknown, f) => (
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} onClick={() => remove(f.name)} />) },
              ]}
            />
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
