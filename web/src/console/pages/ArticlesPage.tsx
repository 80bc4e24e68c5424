import { EditOutlined, PlusOutlined, PushpinOutlined } from "@ant-design/icons";
import { App, Button, Card, Drawer, Form, Input, Radio, Segmented, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { has } from "../../lib/permissions";
import { when } from "../../lib/orders";
import { useAuth } from "../../shared/auth";
import { ellipsisColumn } from "../../shared/columns";
import { useApiError, useLoad } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type Article = Schemas["ArticleOut"];
type Kind = "bulletin" | "guidance";
interface Values { kind: Kind; title: string; body: string; published: boolean; pinned: boolean }

/** The portal's bulletin board and technical guidance (N-4): write in Markdown, publish,
 *  pin, unpublish. Only staff without an area limit write: every customer reads them. */
export function ArticlesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [kind, setKind] = useState<"all" | Kind>("all");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Article | "new">();
  const [form] = Form.useForm<Values>();
  const pageSize = 20;
  const perms = me?.permissions ?? [];
  const unbound = !(me?.areas?.length);
  const canCreate = has(perms, "messages:entry") && unbound;
  const canEdit = has(perms, "messages:modify") && unbound;
  const list = useLoad(() => unwrapList(api.GET("/api/console/articles", { params: { query: {
    kind: kind === "all" ? undefined : kind, limit: pageSize, offset: (page - 1) * pageSize } } })), [kind, page]);

  const open = (a: Article | "new") => {
    setEditing(a);
    form.setFieldsValue(a === "new" ? { kind: kind === "guidance" ? "guidance" : "bulletin", title: "", body: "", published: true, pinned: false }
      : { kind: a.kind as Kind, title: a.title, body: a.body, published: a.published, pinned: a.pinned });
  };
  const save = async (v: Values) => {
    try {
      if (editing === "new") {
        await unwrap(api.POST("/api/console/articles", { body: v }));
      } else if (editing) {
        await unwrap(api.PUT("/api/console/articles/{article_id}", { params: { path: { article_id: editing.id } }, body: v }));
      }
      void message.success(v.published ? t("articles.savedPublished") : t("articles.savedDraft"));
      setEditing(undefined);
      list.reload();
    } catch (err) { report(err, form); }
  };

  return (
    <>
      <PageTitle title={t("articles.title")} sub={t("articles.sub")}
        extra={canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>{t("articles.new")}</Button>} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <div style={{ padding: 12 }}>
          <Segmented<"all" | Kind> value={kind} onChange={(v) => { setKind(v); setPage(1); }} options={[
            { value: "all", label: t("articles.all") }, { value: "bulletin", label: t("articles.kind.bulletin") },
            { value: "guidance", label: t("articles.kind.guidance") }]} />
        </div>
        <Table<Article>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 800 }}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("articles.titleField"), dataIndex: "title", ellipsis: true,
              render: (v: string, a) => <Space size={4}>{a.pinned && <PushpinOutlined />}<Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 360 }}>{v}</Typography.Text></Space> },
            { title: t("articles.kindField"), dataIndex: "kind", width: 110, render: (v: string) => <Tag color={v === "bulletin" ? "blue" : "green"}>{t(`articles.kind.${v}`, v)}</Tag> },
            { title: t("articles.state"), dataIndex: "published", width: 100,
              render: (v: boolean) => v ? <Tag color="success">{t("articles.published")}</Tag> : <Tag>{t("articles.draft")}</Tag> },
            { title: t("articles.publishedAt"), dataIndex: "published_at", width: 160, render: (v: string | null) => when(v) },
            ellipsisColumn<Article>({ title: t("articles.updatedBy"), dataIndex: "updated_by", width: 140 }),
            ...(canEdit ? [{ title: t("common.actions"), key: "a", width: 100, fixed: "right" as const,
              render: (_: unknown, a: Article) => <Button size="small" icon={<EditOutlined />} onClick={() => open(a)}>{t("articles.edit")}</Button> }] : []),
          ]}
        />
      </Card>
      <Drawer open={!!editing} width={Math.min(720, window.innerWidth)} destroyOnHidden
        title={editing === "new" ? t("articles.new") : t("articles.edit")} onClose={() => setEditing(undefined)}
        extra={<Button type="primary" onClick={() => form.submit()} data-testid="save-article">{t("common.save")}</Button>}>
        <Form<Values> form={form} layout="vertical" name="article" onFinish={save}>
          <Form.Item name="kind" label={t("articles.kindField")}>
            <Radio.Group options={[{ value: "bulletin", label: t("articles.kind.bulletin") }, { value: "guidance", label: t("articles.kind.guidance") }]} />
          </Form.Item>
          <Form.Item name="title" label={t("articles.titleField")} rules={[{ required: true, whitespace: true, message: t("apiMessage.required") }, { max: 120 }]}>
            <Input maxLength={120} showCount />
          </Form.Item>
          <Form.Item name="body" label={t("articles.body")} extra={t("articles.markdownHint")}
            rules={[{ required: true, whitespace: true, message: t("apiMessage.required") }, { max: 20000 }]}>
            <Input.TextArea autoSize={{ minRows: 10, maxRows: 24 }} maxLength={20000} showCount />
          </Form.Item>
          <Space size={32}>
            <Form.Item name="published" label={t("articles.publish")} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="pinned" label={t("articles.pin")} valuePropName="checked"><Switch /></Form.Item>
          </Space>
        </Form>
      </Drawer>
    </>
  );
}
