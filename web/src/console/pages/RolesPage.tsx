import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Modal, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has, permissionLabel } from "../../lib/permissions";
import { required } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { actionsColumn, ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { PermissionSelect } from "./PermissionSelect";

type Role = Schemas["RoleOut"];
interface Values { name: string; description?: string; permissions: string[] }

/** Roles: named sets of permissions. */
export function RolesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const list = useLoad(() => unwrapList(api.GET("/api/console/roles", { params: { query: { limit: 200 } } })), []);
  const [editing, setEditing] = useState<Role | "new">();
  const canCreate = has(me?.permissions, "settings:entry");
  const canModify = has(me?.permissions, "settings:modify");
  return (
    <>
      <PageTitle title={t("roles.title")}
        extra={canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("roles.add")}</Button>} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Role> rowKey="id" loading={list.loading} dataSource={list.data?.items} pagination={false} scroll={{ x: 900 }}
          columns={[
            ellipsisColumn<Role>({ title: t("roles.name"), dataIndex: "name", width: 200 }),
            ellipsisColumn<Role>({ title: t("roles.description"), dataIndex: "description", width: 240 }),
            { title: t("staff.permissions"), dataIndex: "permissions",
              render: (ps: string[]) => <Space size={[4, 4]} wrap>{ps.map((p) => <Tag key={p}>{permissionLabel(p, t)}</Tag>)}</Space> },
            ...(canModify ? [actionsColumn<Role>(t("common.actions"), 100, (r) =>
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>{t("common.edit")}</Button>)] : []),
          ]} />
      </Card>
      {editing && <RoleModal role={editing === "new" ? undefined : editing}
        onClose={(done) => { setEditing(undefined); if (done) list.reload(); }} />}
    </>
  );
}

function RoleModal({ role, onClose }: { role?: Role; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    const body = { name: v.name.trim(), description: v.description?.trim() || null, permissions: v.permissions ?? [] };
    try {
      if (role) await unwrap(api.PUT("/api/console/roles/{role_id}", { params: { path: { role_id: role.id } }, body }));
      else await unwrap(api.POST("/api/console/roles", { body }));
      onClose(true);
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open width={600} title={role ? t("roles.edit") : t("roles.add")} onOk={() => void save()}
      okButtonProps={{ loading: busy }} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" name="role" initialValues={role ?? { permissions: [] }}>
        <Form.Item name="name" label={t("roles.name")} required rules={[rule(required(60), { n: 60 })]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="description" label={t("roles.description")} rules={[{ max: 200 }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="permissions" label={t("staff.permissions")}><PermissionSelect /></Form.Item>
      </Form>
    </Modal>
  );
}
