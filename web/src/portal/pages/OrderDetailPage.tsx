import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { useLoad } from "../../shared/hooks";
import { OrderView } from "../../shared/OrderView";
import { ErrorAlert, PageTitle } from "../../shared/ui";

export function OrderDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const order = useLoad(() => unwrap(api.GET("/api/portal/orders/{order_id}", { params: { path: { order_id: id } } })), [id]);
  return (
    <>
      <PageTitle title={t("orders.detailTitle", { number: order.data?.number ?? "" })}
        extra={<Button icon={<ArrowLeftOutlined />} onClick={() => navigate("/orders")}>{t("common.back")}</Button>} />
      <ErrorAlert error={order.error} />
      {order.loading && !order.data ? <Skeleton active /> : order.data && <OrderView order={order.data} />}
    </>
  );
}
