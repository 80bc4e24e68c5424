import { Card, Col, Descriptions, Empty, List, Row, Statistic, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";

export type PointsSummary = Schemas["PointsSummary"];
export type PointsMovement = Schemas["PointsMovementOut"];
export type PointsRule = Schemas["RuleOut"];
export type EventMonth = Schemas["EventMonthOut"];

const KIND_COLORS: Record<string, string> = {
  earned: "gold", effective: "green", reversed: "red", adjusted: "blue", unpaid: "orange",
  reserved: "purple", redeemed: "cyan", released: "default",
};

/** Balances (P-1): pending, total, redeemed, remaining, and whether redemption is open. */
export function PointsBalances({ summary }: { summary?: PointsSummary }) {
  const { t } = useTranslation();
  return (
    <Card>
      <Row gutter={16}>
        <Col xs={12} md={5}><Statistic title={t("points.pending")} value={summary?.pending ?? 0} /></Col>
        <Col xs={12} md={5}><Statistic title={t("points.total")} value={summary?.total ?? 0} /></Col>
        <Col xs={12} md={5}><Statistic title={t("points.redeemed")} value={summary?.redeemed ?? 0} /></Col>
        <Col xs={12} md={5}><Statistic title={t("points.remaining")} value={summary?.remaining ?? 0} /></Col>
        <Col xs={24} md={4}>
          <Statistic title={t("points.canRedeem")}
            valueRender={() => summary?.can_redeem
              ? <Tag color="green">{t("points.redeemOpen")}</Tag>
              : <Tag>{t("points.redeemClosed")}</Tag>} />
        </Col>
      </Row>
    </Card>
  );
}

/** The ledger: every movement, newest first (P-1), with its rule version (P-3). */
export function MovementsTable({ items, total, loading, page, onPage, staff = false }: {
  items?: PointsMovement[]; total?: number; loading: boolean; page: number;
  onPage: (page: number) => void; staff?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table<PointsMovement> rowKey="id" size="small" loading={loading} dataSource={items}
      scroll={{ x: 760 }}
      pagination={{ current: page, pageSize: 20, total, onChange: onPage, showSizeChanger: false }}
      columns={[
        { title: t("points.time"), dataIndex: "created_at",
          render: (v: string) => new Date(v).toLocaleString(i18n.language) },
        { title: t("points.kind"), dataIndex: "kind",
          render: (k: string) => <Tag color={KIND_COLORS[k]}>{t(`points.kinds.${k}`, k)}</Tag> },
        { title: t("points.points"), dataIndex: "points",
          render: (p: number) => <Typography.Text type={p < 0 ? "danger" : "success"}>{p > 0 ? `+${p}` : p}</Typography.Text> },
        { title: t("points.order"), dataIndex: "order_number", render: (v: string | null) => v ?? "—" },
        { title: t("points.ruleVersion"), dataIndex: "rule_version", render: (v: number) => `v${v}` },
        { title: t("points.reason"), dataIndex: "reason", render: (v: string | null) => v ?? "—" },
        ...(staff ? [{ title: t("points.actor"), dataIndex: "actor", render: (v: string | null) => v ?? "—" }] : []),
      ]} />
  );
}

/** Rule versions and announcements (P-3) and event months (P-2). */
export function RulesCard({ rules, months, extra }: { rules?: PointsRule[]; months?: EventMonth[]; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card title={t("points.rules")} extra={extra}>
      <List size="small" dataSource={rules ?? []} locale={{ emptyText: <Empty /> }}
        renderItem={(r) => (
          <List.Item>
            <Descriptions size="small" column={{ xs: 1, md: 4 }} title={<>
              {`v${r.version}`} {r.current && <Tag color="green">{t("points.current")}</Tag>}
              {r.upcoming && <Tag color="orange">{t("points.announced")}</Tag>}</>}>
              <Descriptions.Item label={t("points.yuanPerPoint")}>{t("points.yuanPerPointValue", { yuan: r.yuan_per_point })}</Descriptions.Item>
              <Descriptions.Item label={t("points.threshold")}>{r.redeem_threshold}</Descriptions.Item>
              <Descriptions.Item label={t("points.effectiveFrom")}>{r.effective_from}</Descriptions.Item>
              <Descriptions.Item label={t("points.consumablesOnly")}>{t("points.consumablesOnlyText")}</Descriptions.Item>
            </Descriptions>
          </List.Item>)} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t("points.eventMonths")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("points.eventMonthsHint")}</Typography.Paragraph>
      {(months ?? []).length === 0
        ? <Typography.Text type="secondary">{t("points.noEventMonths")}</Typography.Text>
        : (months ?? []).map((m) => <Tag key={m.month} color="magenta">{m.month}</Tag>)}
    </Card>
  );
}
