import { EditOutlined, KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has, permissionLabel } from "../../lib/permissions";
import { username as usernameCheck } from "../../lib/validators";
import { AreaList, AreaMultiPicker } from "../../shared/AreaPicker";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";
import { PermissionSelect } from "./PermissionSelect";

type Staff = Schemas["StaffOut"];
type Role = Schemas["RoleOut"];

interface Values {
  username: string; display_name?: string; mobile?: string; email?: string;
  permissions: string[]; role_ids: string[]; areas: string[]; active?: boolean;
}

/** Staff users, their roles, permissions and areas (X-1, C-7, C-8). */
export function StaffPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { modal } = App.useApp();
  const { report } = useApiError();
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Staff | "new">();
  const list = useLoad(() => unwrapList(api.GET("/api/console/staff", { params: { query: {
    q: q || undefined, limit: 20, offset: (page - 1) * 20 } } })), [q, page]);
  const roles = useLoad(() => unwrapList(api.GET("/api/console/roles", { params: { query: { limit: 200 } } })), []);
  const roleName = (id: string) => roles.data?.items.find((r: Role) => r.id === id)?.name ?? id;
  const canCreate = has(me?.permissions, "settings:entry");
  const canModify = has(me?.permissions, "settings:modify");

  const showTemporary = (user: string, password: string) => modal.info({
    title: t("staff.temporaryTitle", { name: user }),
    content: <><Typography.Paragraph>{t("staff.temporaryText")}</Typography.Paragraph>
      <Typography.Paragraph copyable code style={{ fontSize: 18 }}>{password}</Typography.Paragraph></>,
  });

  const reset = (s: Staff) => modal.confirm({
    title: t("staff.resetConfirm", { name: s.username }),
    onOk: async () => {
      try {
        const out = await unwrap(api.POST("/api/console/staff/{user_id}/reset-password", { params: { path: { user_id: s.id } } }));
        showTemporary(out.user.username, out.temporary_password);
      } catch (err) { report(err); }
    },
  });

  return (
    <>
      <PageTitle title={t("staff.title")}
        extra={canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("staff.add")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t("staff.search")} style={{ width: 280 }} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Staff> rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            ellipsisColumn<Staff>({ title: t("field.username"), dataIndex: "username", width: 140 }),
            ellipsisColumn<Staff>({ title: t("staff.displayName"), dataIndex: "display_name", width: 160 }),
            ellipsisColumn<Staff>({ title: t("staff.roles"), dataIndex: "role_ids", width: 180,
              render: (ids: string[]) => ids.map((id) => <Tag key={id} color="blue">{roleName(id)}</Tag>) }),
            { title: t("staff.permissions"), dataIndex: "effective_permissions",
              render: (ps: string[]) => <Space size={[4, 4]} wrap>{ps.slice(0, 6).map((p) => <Tag key={p}>{permissionLabel(p, t)}</Tag>)}{ps.length > 6 && <Tag>+{ps.length - 6}</Tag>}</Space> },
            { title: t("staff.areas"), dataIndex: "areas", render: (as: string[]) => as.length ? <AreaList areas={as} /> : t("staff.allAreas") },
            { title: t("field.status"), dataIndex: "active", render: (a: boolean, s) => <Space size={4}>
              {a ? <Tag color="green">{t("staff.active")}</Tag> : <Tag>{t("staff.inactive")}</Tag>}
              {s.must_change_password && <Tag color="orange">{t("staff.mustChange")}</Tag>}</Space> },
            ...(canModify ? [{ title: t("common.actions"), key: "a", fixed: "right" as const, width: 190, render: (_: unknown, s: Staff) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>{t("common.edit")}</Button>
                <Button size="small" icon={<KeyOutlined />} onClick={() => reset(s)}>{t("staff.reset")}</Button>
              </Space>) }] : []),
          ]} />
      </Card>
      {editing && <StaffModal staff={editing === "new" ? undefined : editing} roles={roles.data?.items ?? []}
        onClose={(done, issued) => {
          setEditing(undefined);
          if (done) list.reload();
          if (issued) showTemporary(issued.user.username, issued.temporary_password);
        }} />}
    </>
  );
}

function StaffModal({ staff, roles, onClose }: {
  staff?: Staff; roles: Role[]; onClose: (done: boolean, issued?: Schemas["IssuedStaff"]) => void;
}) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    const common = { display_name: v.display_name?.trim() || null, mobile: v.mobile?.trim() || null,
      email: v.email?.trim() || null, permissions: v.permissions ?? [], role_ids: v.role_ids ?? [], areas: v.areas ?? [] };
    try {
      if (staff) {
        await unwrap(api.PUT("/api/console/staff/{user_id}", { params: { path: { user_id: staff.id } },
          body: { ...common, active: v.active ?? true } }));
        onClose(true);
      } else {
        const issued = await unwrap(api.POST("/api/console/staff", { body: { username: v.username.trim(), ...common } }));
        onClose(true, issued);
      }
    } catch (err) { report(err, form); } finally { setBusy(false); }
  };
  return (
    <Modal open width={640} title={staff ? t("staff.edit", { name: staff.username }) : t("staff.add")}
      onOk={() => void save()} okButtonProps={{ loading: busy }} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" name="staff"
        initialValues={staff ?? { permissions: [], role_ids: [], areas: [], active: true }}>
        {!staff && <Form.Item name="username" label={t("field.username")} required rules={[rule(usernameCheck)]}><Input /></Form.Item>}
        <Form.Item name="display_name" label={t("staff.displayName")} rules={[{ max: 100 }]}><Input /></Form.Item>
        <Space.Compact block>
          <Form.Item name="mobile" label={t("field.mobile")} style={{ flex: 1 }} rules={[{ max: 20 }]}><Input /></Form.Item>
          <Form.Item name="email" label={t("field.email")} style={{ flex: 1, marginLeft: 8 }} rules={[{ max: 120 }]}><Input /></Form.Item>
        </Space.Compact>
        <Form.Item name="role_ids" label={t("staff.roles")}>
          <Select mode="multiple" allowClear options={roles.map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
        <Form.Item name="permissions" label={t("staff.ownPermissions")} extra={t("staff.permissionsHint")}>
          <PermissionSelect />
        </Form.Item>
        <Form.Item name="areas" label={t("staff.areas")} extra={t("staff.areasHint")}>
          <AreaMultiPicker />
        </Form.Item>
        {staff && <Form.Item name="active" label={t("staff.active")} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}
