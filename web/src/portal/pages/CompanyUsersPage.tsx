import { KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Grid, Input, List, Modal, Result, Segmented, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { email as emailCheck, mobile as mobileCheck, normalizeMobile, username as usernameCheck } from "../../lib/validators";
import type { Check } from "../../lib/validators";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad, useRule } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type CompanyUser = Schemas["CompanyUserOut"];
interface NewBuyer { username: string; display_name?: string; mobile?: string; email?: string }

const optional = (check: Check): Check => (v) => (typeof v === "string" && v.trim() ? check(v) : null);

/** The company's users, for its administrator (C-8): add buyers, issue new passwords,
 *  deactivate and reactivate. Issued passwords are shown once. */
export function CompanyUsersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (me?.company_role !== "admin") {
    return <Result status="403" title="403" subTitle={t("companyUsers.adminOnly")}
      extra={<Link to="/"><Button type="primary">{t("common.backHome")}</Button></Link>} />;
  }
  return <CompanyUsers />;
}

function CompanyUsers() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { modal, message } = App.useApp();
  const { report } = useApiError();
  const [active, setActive] = useState<"all" | "active" | "inactive">("all");
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const phone = !Grid.useBreakpoint().md;
  const list = useLoad(() => unwrapList(api.GET("/api/portal/users", { params: { query: {
    active: active === "all" ? undefined : active === "active", limit: 20, offset: (page - 1) * 20 } } })),
  [active, page]);

  const showPassword = (issued: Schemas["IssuedCompanyUser"], fresh: boolean) => modal.success({
    title: t(fresh ? "companyUsers.createdTitle" : "companyUsers.resetTitle", { name: issued.user.username }),
    width: 460,
    content: <div data-testid="issued-password">
      <Typography.Paragraph>{t("companyUsers.passwordOnce")}</Typography.Paragraph>
      <Typography.Paragraph copyable code style={{ fontSize: 18 }}>{issued.temporary_password}</Typography.Paragraph>
    </div>,
  });

  const resetPassword = (u: CompanyUser) => modal.confirm({
    title: t("companyUsers.resetConfirm", { name: u.username }),
    content: t("companyUsers.resetText"),
    onOk: async () => {
      try {
        showPassword(await unwrap(api.POST("/api/portal/users/{user_id}/reset-password",
          { params: { path: { user_id: u.id } } })), false);
        list.reload();
      } catch (err) { report(err); }
    },
  });

  const setUserActive = (u: CompanyUser, value: boolean) => modal.confirm({
    title: t(value ? "companyUsers.activateConfirm" : "companyUsers.deactivateConfirm", { name: u.username }),
    content: value ? undefined : t("companyUsers.deactivateText"),
    okButtonProps: { danger: !value },
    onOk: async () => {
      try {
        await unwrap(api.PUT("/api/portal/users/{user_id}", {
          params: { path: { user_id: u.id } }, body: { active: value } }));
        void message.success(t(value ? "companyUsers.activated" : "companyUsers.deactivated"));
        list.reload();
      } catch (err) { report(err); }
    },
  });

  const actions = (u: CompanyUser) => u.id === me?.id ? <Typography.Text type="secondary">{t("companyUsers.you")}</Typography.Text> : (
    <Space size={4} wrap>
      <Button size="small" icon={<KeyOutlined />} onClick={() => resetPassword(u)}>{t("companyUsers.reset")}</Button>
      {u.active
        ? <Button size="small" danger icon={<StopOutlined />} onClick={() => setUserActive(u, false)}>{t("companyUsers.deactivate")}</Button>
        : <Button size="small" icon={<CheckCircleOutlined />} onClick={() => setUserActive(u, true)}>{t("companyUsers.activate")}</Button>}
    </Space>
  );
  const status = (u: CompanyUser) => <Space size={4} wrap>
    {u.active ? <Tag color="green">{t("companyUsers.active")}</Tag> : <Tag>{t("companyUsers.inactive")}</Tag>}
    {u.must_change_password && u.active && <Tag color="orange">{t("companyUsers.mustChange")}</Tag>}
  </Space>;
  const name = (u: CompanyUser) => <Space size={4} wrap>
    <Typography.Text strong>{u.username}</Typography.Text>
    {u.display_name && <Typography.Text type="secondary">{u.display_name}</Typography.Text>}
    <Tag color={u.company_role === "admin" ? "blue" : undefined}>{t(`companyRole.${u.company_role}`)}</Tag>
  </Space>;

  return (
    <>
      <PageTitle title={t("companyUsers.title")} sub={t("companyUsers.subtitle")}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t("companyUsers.add")}</Button>} />
      <Card style={{ marginBottom: 16 }} size="small">
        <Segmented value={active} onChange={(v) => { setActive(v as typeof active); setPage(1); }}
          options={[{ value: "all", label: t("common.all") }, { value: "active", label: t("companyUsers.active") },
            { value: "inactive", label: t("companyUsers.inactive") }]} />
      </Card>
      <ErrorAlert error={list.error} />
      {!phone ? <Card styles={{ body: { padding: 0 } }}>
        <Table<CompanyUser> rowKey="id" loading={list.loading} dataSource={list.data?.items} tableLayout="fixed"
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t("field.username"), key: "name", render: (_: unknown, u) => name(u), ellipsis: true },
            { title: t("field.mobile"), dataIndex: "mobile", width: 130, render: (v: string | null) => v ?? "—" },
            { title: t("field.email"), dataIndex: "email", ellipsis: true, render: (v: string | null) => v ?? "—" },
            { title: t("companyUsers.lastLogin"), dataIndex: "last_login_at", width: 150, render: (v: string | null) => v ? formatDateTime(v) : t("companyUsers.never") },
            { title: t("field.status"), key: "status", width: 150, render: (_: unknown, u) => status(u) },
            { title: t("common.actions"), key: "a", width: 200, render: (_: unknown, u) => actions(u) },
          ]} />
      </Card> : <Card styles={{ body: { padding: "0 12px" } }}>
        <List<CompanyUser> loading={list.loading} dataSource={list.data?.items}
          pagination={list.data && list.data.total > 20 ? { current: page, pageSize: 20, total: list.data.total, onChange: setPage, size: "small" } : false}
          renderItem={(u) => (
            <List.Item key={u.id} style={{ display: "block" }}>
              <div>{name(u)}</div>
              <div style={{ margin: "4px 0" }}>{status(u)}</div>
              <Typography.Text type="secondary" style={{ display: "block", overflowWrap: "anywhere" }}>
                {[u.mobile, u.email].filter(Boolean).join(" · ") || "—"}</Typography.Text>
              <div style={{ marginTop: 6 }}>{actions(u)}</div>
            </List.Item>
          )} />
      </Card>}
      {adding && <AddBuyer onClose={(issued) => {
        setAdding(false);
        if (issued) { list.reload(); showPassword(issued, true); }
      }} />}
    </>
  );
}

function AddBuyer({ onClose }: { onClose: (issued?: Schemas["IssuedCompanyUser"]) => void }) {
  const { t } = useTranslation();
  const { report } = useApiError();
  const rule = useRule();
  const [form] = Form.useForm<NewBuyer>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      onClose(await unwrap(api.POST("/api/portal/users", { body: {
        username: v.username.trim(), display_name: v.display_name?.trim() || null,
        mobile: v.mobile?.trim() ? normalizeMobile(v.mobile) ?? v.mobile.trim() : null, email: v.email?.trim() || null } })));
    } catch (err) {
      setError(err);
      report(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t("companyUsers.add")} onCancel={() => onClose()} onOk={() => void save()}
      confirmLoading={busy} okText={t("companyUsers.create")} destroyOnHidden>
      <ErrorAlert error={error} />
      <Typography.Paragraph type="secondary">{t("companyUsers.addHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="company-user">
        <Form.Item name="username" label={t("field.username")} required rules={[rule(usernameCheck)]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="display_name" label={t("companyUsers.displayName")} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="mobile" label={t("field.mobile")} extra={t("companyUsers.contactHint")}
          rules={[rule(optional(mobileCheck))]}>
          <Input inputMode="numeric" maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item name="email" label={t("field.email")} rules={[rule(optional(emailCheck))]}>
          <Input maxLength={120} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
