import { DeleteOutlined, ShoppingCartOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Empty, List, Modal, Popconfirm, Skeleton, Space, Tag,
  Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { businessToday } from "../../lib/validators";
import { yuan } from "../../lib/money";
import { useApiError, useLoad } from "../../shared/hooks";
import { ReturnsTable } from "../../shared/OrderLife";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { NewOrderPage } from "./NewOrderPage";
import { SkippedLines } from "./OrderDetailPage";

type Template = Schemas["TemplateOut"];
type Reorder = Schemas["ReorderOut"];

/** Modify a submitted order (O-4): the new-order form, filled in, sending the version. */
export function EditOrderPage() {
  const { id = "" } = useParams();
  const order = useLoad(() => unwrap(api.GET("/api/portal/orders/{order_id}", { params: { path: { order_id: id } } })), [id]);
  if (order.error) return <ErrorAlert error={order.error} />;
  if (!order.data) return <Skeleton active />;
  return <NewOrderPage key={order.data.version} editing={order.data} />;
}

/** My return requests and their statuses (O-9). */
export function MyReturnsPage() {
  const { t } = useTranslation();
  const list = useLoad(() => unwrapList(api.GET("/api/portal/returns", { params: { query: { limit: 200 } } })), []);
  return (
    <>
      <PageTitle title={t("lc.myReturns")} />
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <ReturnsTable items={list.data?.items} loading={list.loading} />
      </Card>
    </>
  );
}

/** Favourite orders (O-11): order again from one at today's prices. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const navigate = useNavigate();
  const list = useLoad(() => unwrap(api.GET("/api/portal/order-templates")), []);
  const [ordering, setOrdering] = useState<Template>();
  const [date, setDate] = useState<Dayjs | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Reorder>();
  const today = businessToday();

  const remove = async (tpl: Template) => {
    try {
      await unwrap(api.DELETE("/api/portal/order-templates/{template_id}", { params: { path: { template_id: tpl.id } } }));
      void message.success(t("common.deleted"));
      list.reload();
    } catch (err) { report(err); }
  };
  const order = async () => {
    if (!ordering || !date) return;
    setBusy(true);
    try {
      const out = await unwrap(api.POST("/api/portal/order-templates/{template_id}/order", {
        params: { path: { template_id: ordering.id } }, body: { delivery_date: date.format("YYYY-MM-DD") } }));
      setOrdering(undefined);
      setResult(out);
    } catch (err) { report(err); } finally { setBusy(false); }
  };

  return (
    <>
      <PageTitle title={t("lc.templates")} sub={t("lc.templatesSub")} />
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? <Skeleton active /> : !list.data?.length ? <Card><Empty description={t("lc.noTemplates")} /></Card> : (
        <List grid={{ gutter: 16, xs: 1, md: 2, xl: 3 }} dataSource={list.data} renderItem={(tpl) => (
          <List.Item>
            <Card title={tpl.name} actions={[
              <Button key="o" type="link" icon={<ShoppingCartOutlined />} onClick={() => { setOrdering(tpl); setDate(dayjs(today).add(3, "day")); }}>
                {t("lc.orderFromTemplate")}</Button>,
              <Popconfirm key="d" title={t("lc.deleteTemplate")} onConfirm={() => void remove(tpl)}>
                <Button type="link" danger icon={<DeleteOutlined />}>{t("common.delete")}</Button></Popconfirm>,
            ]}>
              <List size="small" dataSource={tpl.lines} renderItem={(l) => (
                <List.Item>
                  <Space wrap>{l.name ?? "—"} {l.model} × {l.quantity}
                    {l.available ? <Money value={l.unit_price} /> : <Tag color="warning">{t("lc.unavailable")}</Tag>}</Space>
                </List.Item>)} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tpl.bill_type ? t(`billType.${tpl.bill_type}`) : ""}</Typography.Text>
            </Card>
          </List.Item>)} />
      )}
      <Modal open={!!ordering} title={t("lc.orderFromTemplate")} onCancel={() => setOrdering(undefined)}
        onOk={() => void order()} okButtonProps={{ loading: busy, disabled: !date }} okText={t("order.submit")}>
        <Typography.Paragraph>{t("field.delivery_date")}</Typography.Paragraph>
        <DatePicker value={date} onChange={setDate} style={{ width: "100%" }}
          disabledDate={(d) => d.format("YYYY-MM-DD") < today} />
      </Modal>
      <Modal open={!!result} title={t("lc.reorderedTitle", { number: result?.order.number ?? "" })}
        onCancel={() => setResult(undefined)} okText={t("order.view")}
        onOk={() => navigate(`/orders/${result?.order.id}`)}>
        <SkippedLines skipped={result?.skipped_lines ?? []} />
        <Typography.Paragraph>{t("lc.reorderedText", { total: yuan(result?.order.total ?? "0") })}</Typography.Paragraph>
      </Modal>
    </>
  );
}
