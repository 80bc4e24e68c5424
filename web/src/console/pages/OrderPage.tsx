import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Card, Result } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { PageTitle } from "../../shared/ui";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An order on its own page, /console/orders/:id (issue 15): the same detail and actions as
 * the queue's quick view, at an address that can be shared, bookmarked and reloaded. */
export function OrderPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate("/orders"));
  return (
    <>
      <PageTitle title={t("orders.detail")}
        extra={<Button icon={<ArrowLeftOutlined />} onClick={back}>{t("common.back")}</Button>} />
      {UUID.test(id)
        ? <Card data-testid="order-page"><ConsoleOrderDetail id={id} /></Card>
        : <Result status="404" title="404" subTitle={t("orderSearch.noSuchOrder")} />}
    </>
  );
}
