import { Card, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { useLoad } from "../../shared/hooks";
import { MovementsTable, PointsBalances, PointsMarkdown, RedemptionsTable, RulesCard } from "../../shared/Points";
import { ErrorAlert, PageTitle } from "../../shared/ui";

/** 我的积分 (P-1..P-3): balances, every movement, the points used on orders, the rules and
 * announcements, event months and the supplier's description. */
export function PointsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [redemptionPage, setRedemptionPage] = useState(1);
  const summary = useLoad(() => unwrap(api.GET("/api/portal/points")), []);
  const movements = useLoad(() => unwrapList(api.GET("/api/portal/points/movements", {
    params: { query: { limit: 20, offset: (page - 1) * 20 } } })), [page]);
  const redemptions = useLoad(() => unwrapList(api.GET("/api/portal/points/redemptions", {
    params: { query: { limit: 20, offset: (redemptionPage - 1) * 20 } } })), [redemptionPage]);
  const rules = useLoad(() => unwrap(api.GET("/api/portal/points/rules")), []);
  const months = useLoad(() => unwrap(api.GET("/api/portal/points/event-months")), []);
  const description = useLoad(() => unwrap(api.GET("/api/portal/points/description")), []);
  return (
    <>
      <PageTitle title={t("points.portalTitle")} sub={t("points.portalSub")} />
      <ErrorAlert error={summary.error ?? movements.error ?? redemptions.error} />
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <PointsBalances summary={summary.data} />
        <Card title={t("points.movements")} styles={{ body: { padding: 0 } }}>
          <MovementsTable items={movements.data?.items} total={movements.data?.total}
            loading={movements.loading} page={page} onPage={setPage} />
        </Card>
        <Card title={t("points.redemptions")} styles={{ body: { padding: 0 } }}>
          <RedemptionsTable items={redemptions.data?.items} total={redemptions.data?.total}
            loading={redemptions.loading} page={redemptionPage} onPage={setRedemptionPage}
            orderLink={(r) => <Link to={`/orders/${r.order_id}`}>{r.order_number}</Link>} />
        </Card>
        <RulesCard rules={rules.data} months={months.data} />
        <Card title={t("points.description")}>
          {description.data?.content
            ? <PointsMarkdown content={description.data.content} />
            : <Typography.Text type="secondary">{t("points.noDescription")}</Typography.Text>}
        </Card>
      </Space>
    </>
  );
}
