import { Card, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import { useLoad } from "../../shared/hooks";
import { MovementsTable, PointsBalances, RulesCard } from "../../shared/Points";
import { ErrorAlert, PageTitle } from "../../shared/ui";

/** 我的积分 (P-1..P-3): balances, every movement, the rules and announcements, event
 * months and the supplier's description. */
export function PointsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const summary = useLoad(() => unwrap(api.GET("/api/portal/points")), []);
  const movements = useLoad(() => unwrapList(api.GET("/api/portal/points/movements", {
    params: { query: { limit: 20, offset: (page - 1) * 20 } } })), [page]);
  const rules = useLoad(() => unwrap(api.GET("/api/portal/points/rules")), []);
  const months = useLoad(() => unwrap(api.GET("/api/portal/points/event-months")), []);
  const description = useLoad(() => unwrap(api.GET("/api/portal/points/description")), []);
  return (
    <>
      <PageTitle title={t("points.portalTitle")} sub={t("points.portalSub")} />
      <ErrorAlert error={summary.error ?? movements.error} />
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <PointsBalances summary={summary.data} />
        <Card title={t("points.movements")} styles={{ body: { padding: 0 } }}>
          <MovementsTable items={movements.data?.items} total={movements.data?.total}
            loading={movements.loading} page={page} onPage={setPage} />
        </Card>
        <RulesCard rules={rules.data} months={months.data} />
        <Card title={t("points.description")}>
          {description.data?.content
            ? <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{description.data.content}</Typography.Paragraph>
            : <Typography.Text type="secondary">{t("points.noDescription")}</Typography.Text>}
        </Card>
      </Space>
    </>
  );
}
