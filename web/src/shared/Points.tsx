import { Card, Col, Descriptions, Empty, List, Row, Statistic, Table, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import Markdown from "react-markdown";
import type { Components } from "react-markdown";
import type { Schemas } from "../api/client";
import { formatDateTime } from "../lib/dates";
import { POINTS_STATUS_COLORS } from "../lib/points";

export type PointsSummary = Schemas["PointsSummary"];
export type PointsMovement = Schemas["PointsMovementOut"];
export type PointsRule = Schemas["RuleOut"];
export type EventMonth = Schemas["EventMonthOut"];

const KIND_COLORS: Record<string, string> = {
  earned: "gold", effective: "green", reversed: "red", adjusted: "blue", unpaid: "orange",
  reserved: "purple", redeemed: "cyan", released: "default",
};

/** Balances (P-1): pending, total, reserved, redeemed, remaining, and whether redemption
 * is open (P-2) with the threshold that opens it. */
export function PointsBalances({ summary }: { summary?: PointsSummary }) {
  const { t } = useTranslation();
  return (
    <Card>
      <Row gutter={16}>
        <Col xs={12} md={4}><Statistic title={t("points.pending")} value={summary?.pending ?? 0} /></Col>
        <Col xs={12} md={4}><Statistic title={t("points.total")} value={summary?.total ?? 0} /></Col>
        <Col xs={12} md={4}><Statistic title={t("points.reserved")} value={summary?.reserved ?? 0} /></Col>
        <Col xs={12} md={4}><Statistic title={t("points.redeemed")} value={summary?.redeemed ?? 0} /></Col>
        <Col xs={12} md={4}><Statistic title={t("points.remaining")} value={summary?.remaining ?? 0} /></Col>
        <Col xs={12} md={4}>
          <Statistic title={t("points.canRedeem")}
            valueRender={() => summary?.can_redeem
              ? <Tag color="green">{t("points.redeemOpen")}</Tag>
              : <Tag>{t("points.redeemClosed")}</Tag>} />
        </Col>
      </Row>
      {summary && (
        <Typography.Text type="secondary" data-testid="points-threshold">
          {t(summary.can_redeem ? "points.thresholdReached" : "points.thresholdHint", { threshold: summary.threshold })}
        </Typography.Text>)}
    </Card>
  );
}

/** The ledger: every movement, newest first (P-1), with its rule version (P-3). */
export function MovementsTable({ items, total, loading, page, onPage, staff = false }: {
  items?: PointsMovement[]; total?: number; loading: boolean; page: number;
  onPage: (page: number) => void; staff?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Table<PointsMovement> rowKey="id" size="small" loading={loading} dataSource={items}
      scroll={{ x: 760 }}
      pagination={{ current: page, pageSize: 20, total, onChange: onPage, showSizeChanger: false }}
      columns={[
        { title: t("points.time"), dataIndex: "created_at",
          render: (v: string) => formatDateTime(v) },
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

/** One redemption (P-1): points an order asked for and what became of them. */
export type Redemption = Schemas["RedemptionOut"];

/** A points status (of an order or a redemption), with its reason when refused or returned. */
export function PointsStatusTag({ status, reason }: { status: string; reason?: string | null }) {
  const { t } = useTranslation();
  const label = t(`points.statuses.${status}`, status);
  return (
    <Tag color={POINTS_STATUS_COLORS[status] ?? "default"} data-testid="points-status">
      {reason && (status === "refused" || status === "released")
        ? t("points.statusWithReason", { status: label, reason: t(`points.reasons.${reason}`, reason) })
        : label}
    </Tag>
  );
}

/** Redemption records (P-1): which order used how many points, and what became of them. */
export function RedemptionsTable({ items, total, loading, page, onPage, orderLink }: {
  items?: Redemption[]; total?: number; loading: boolean; page: number; onPage: (page: number) => void;
  orderLink?: (r: Redemption) => ReactNode;
}) {
  const { t } = useTranslation();
  const time = (v: string) => formatDateTime(v);
  return (
    <Table<Redemption> rowKey="id" size="small" loading={loading} dataSource={items} data-testid="redemptions"
      scroll={{ x: 640 }} locale={{ emptyText: <Empty description={t("points.noRedemptions")} /> }}
      pagination={{ current: page, pageSize: 20, total, onChange: onPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t("points.time"), dataIndex: "created_at", render: time },
        { title: t("points.order"), dataIndex: "order_number",
          render: (v: string | null, r) => r.subject === "repair" ? t("points.repairCharge")
            : v == null ? "—" : orderLink ? orderLink(r) : v },
        { title: t("points.points"), dataIndex: "points", align: "right" },
        { title: t("points.status"), dataIndex: "status", render: (s: string) => <PointsStatusTag status={s} /> },
        { title: t("points.reason"), dataIndex: "reason",
          render: (v: string | null) => v ? t(`points.reasons.${v}`, v) : "—" },
        { title: t("points.updatedAt"), dataIndex: "updated_at", responsive: ["md"], render: time },
      ]} />
  );
}

/** Markdown links open in a new tab without giving it this window (no opener, no referrer). */
const MARKDOWN_COMPONENTS: Components = {
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>),
};

/** Staff-written text (the points description) as Markdown: raw HTML is dropped and
 * unsafe link targets (javascript: …) are removed by react-markdown's URL check. */
export function PointsMarkdown({ content }: { content: string }) {
  return (
    <Typography data-testid="points-markdown">
      <Markdown skipHtml components={MARKDOWN_COMPONENTS}>{content}</Markdown>
    </Typography>
  );
}
