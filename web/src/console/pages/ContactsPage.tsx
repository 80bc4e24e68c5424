import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { phone, qq, required } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { actionsColumn, ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type Contact = Schemas["ContactOut"];
type Values = Schemas["ContactIn"];

/** The supplier's contact people per area, shown on the customers' home page (N-4). */
export function ContactsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const list = useLoad(() => unwrapList(api.GET("/api/console/contacts", { params: { query: { limit: 200 } } })), []);
  const [editing, setEditing] = useState<Contact | "new">();
  const canModify = has(me?.permissions, "settings:modify");

  const remove = async (c: Contact) => {
    try {
      await unwrap(api.DELETE("/api/console/contacts/{contact_id}", { params: { path: { contact_id: c.id } } }));
      void message.success(t("common.deleted"));
      list.reload();
    } catch (err) { report(err); }
  };

  return (
    <>
      <PageTitle title={t("contacts.title")} sub={t("contacts.sub")}
        extra={canModify && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("contacts.add")}</Button>} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Contact> rowKey="id" loading={list.loading} dataSource={list.data?.items} pagination={false} scroll={{ x: 900 }}
          columns={[
            ellipsisColumn<Contact>({ title: t("field.area"), dataIndex: "area", width: 180,
              render: (a: string) => a === "default" ? <Tag color="blue">{t("contacts.defaultArea")}</Tag> : a }),
            ellipsisColumn<Contact>({ title: t("contacts.name"), dataIndex: "name", width: 200 }),
            { title: t("contacts.role"), dataIndex: "role", width: 100, render: (r: string) => t(`contactRole.${r}`, r) },
            ellipsisColumn<Contact>({ title: t("contacts.phone"), dataIndex: "phone", width: 160 }),
            ellipsisColumn<Contact>({ title: "QQ", dataIndex: "qq", width: 140 }),
            ...(canModify ? [actionsColumn<Contact>(t("common.actions"), 180, (c) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)}>{t("common.edit")}</Button>
                <Popconfirm title={t("contacts.confirmDelete")} onConfirm={() => void remove(c)}>
                  <Button size="small" danger icon={<DeleteOutlined />}>{t("common.delete")}</Button>
                </Popconfirm>
              </Space>))] : []),
          ]} />
      </Card>
      {editing && <ContactModal contact={editing === "new" ? undefined : editing}
        onClose={(done) => { setEditing(undefined); if (done) list.reload(); }} />}
    </>
  );
}

function ContactModal({ contact, onClose }: { contact?: Contact; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    const body = { area: (v.area ?? "").trim() || "default", name: v.name.trim(), phone: v.phone.trim(),
      qq: v.qq?.trim() || null, role: (v.role ?? "").trim() || "consumables" };
    try {
      if (contact) await unwrap(api.PUT("/api/console/contacts/{contact_id}", { params: { path: { contact_id: contact.id } }, body }));
      else await unwrap(api.POST("/api/console/contacts", { body }));
      onClose(true);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open title={contact ? t("contacts.edit") : t("contacts.add")} onOk={() => void save()}
      okButtonProps={{ loading: busy }} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" name="contact" initialValues={contact ?? { area: "default", role: "consumables" }}>
        <Form.Item name="area" label={t("field.area")} extra={t("contacts.areaHint")} rules={[rule(required(100), { n: 100 })]}><Input /></Form.Item>
        <Form.Item name="name" label={t("contacts.name")} required rules={[rule(required(100), { n: 100 })]}><Input /></Form.Item>
        <Form.Item name="role" label={t("contacts.role")} rules={[rule(required(50), { n: 50 })]}><Input /></Form.Item>
        <Form.Item name="phone" label={t("contacts.phone")} required
          rules={[rule((v) => required(40)(v) ?? phone(v), { n: 40 })]}><Input inputMode="tel" /></Form.Item>
        <Form.Item name="qq" label="QQ" rules={[rule(qq)]}><Input inputMode="numeric" /></Form.Item>
      </Form>
    </Modal>
  );
}
