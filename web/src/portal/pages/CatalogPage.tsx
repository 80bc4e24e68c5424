import { ShoppingCartOutlined } from "@ant-design/icons";
import { Button, Card, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { toCents } from "../../lib/money";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";

type Item = Schemas["PortalCatalogItem"];

/** My consumables at my own prices (C-3). */
export function CatalogPage() {
  const { t } = useTranslation();
  const catalog = useLoad(() => unwrap(api.GET("/api/portal/catalog")), []);
  return (
    <>
      <PageTitle title={t("catalog.title")} sub={t("catalog.sub")}
        extra={<Link to="/orders/new"><Button type="primary" icon={<ShoppingCartOutlined />}>{t("catalog.order")}</Button></Link>} />
      <ErrorAlert error={catalog.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Item>
          rowKey="product_id"
          loading={catalog.loading}
          dataSource={catalog.data}
          pagination={false}
          scroll={{ x: 560 }}
          columns={[
            { title: t("field.product"), dataIndex: "name", sorter: (a, b) => a.name.localeCompare(b.name, "zh-CN") },
            { title: t("field.model"), dataIndex: "model" },
            { title: t("field.category"), dataIndex: "category", responsive: ["md"],
              render: (c: string) => <Tag>{t(`category.${c}`, c)}</Tag> },
            { title: t("field.list_price"), dataIndex: "list_price", align: "right",
              render: (v: string, i) => <Money value={v} del={v !== i.unit_price} /> },
            { title: t("field.my_price"), dataIndex: "unit_price", align: "right",
              sorter: (a, b) => Number(toCents(a.unit_price) - toCents(b.unit_price)),
              render: (v: string) => <Money value={v} strong /> },
          ]}
        />
      </Card>
    </>
  );
}
