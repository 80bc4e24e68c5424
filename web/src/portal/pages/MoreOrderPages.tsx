import { DeleteOutlined, ShoppingCartOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, List, Popconfirm, Skeleton, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { useApiError, useLoad } from "../../shared/hooks";
import { ReturnsTable } from "../../shared/OrderLife";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { NewOrderPage } from "./NewOrderPage";

type Template = Schemas["TemplateOut"];

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

/** Favourite orders (O-11): order again from one at today's prices, on the new-order page
 * filled in from it for review (issue 15: nothing is ordered before the customer submits). */
export function TemplatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const navigate = useNavigate();
  const list = useLoad(() => unwrap(api.GET("/api/portal/order-templates")), []);

  const remove = async (tpl: Template) => {
    try {
      await unwrap(api.DELETE("/api/portal/order-templates/{template_id}", { params: { path: { template_id: tpl.id } } }));
      void message.success(t("common.deleted"));
      list.reload();
    } catch (err) { report(err); }
  };

  return (
    <>
      <PageTitle title={t("lc.templates")} sub={t("lc.templatesSub")} />
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? <Skeleton active /> : !list.data?.length ? <Card><Empty description={t("lc.noTemplates")} /></Card> : (
        <List grid={{ gutter: 16, xs: 1, md: 2, xl: 3 }} dataSource={list.data} renderItem={(tpl) => (
          <List.Item>
            <Card title={tpl.name} actions={[
              <Button key="o" type="link" icon={<ShoppingCartOutlined />}
                onClick={() => navigate(`/orders/new?template=${encodeURIComponent(tpl.id)}`)}>
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
    </>
  );
}
