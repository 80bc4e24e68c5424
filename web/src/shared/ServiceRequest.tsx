import { Card, Descriptions, Empty, Image, List, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { when } from "../lib/orders";
import { machineLabel, STATUS_COLORS } from "../lib/serviceRequests";
import type { ReportStatus } from "../lib/serviceRequests";

export type Report = Schemas["ServiceRequestOut"];
export type ReportSummary = Schemas["ServiceRequestSummary"];

export function ReportStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status as ReportStatus] ?? "default"} data-testid="report-status">
    {t(`service.status.${status}`, status)}</Tag>;
}

/** A report's facts, photos (thumbnails, click to enlarge) and thread, on both sides (S-1). */
export function ReportView({ report, side }: { report: Report; side: "portal" | "console" }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t("service.status.label")}><ReportStatusTag status={report.status} /></Descriptions.Item>
          {side === "console" && <Descriptions.Item label={t("service.customer")}>
            {report.customer_name}{report.customer_number ? ` (${report.customer_number})` : ""}</Descriptions.Item>}
          <Descriptions.Item label={t("service.machine")}>{machineLabel(report)}</Descriptions.Item>
          <Descriptions.Item label={t("service.reportedAt")}>{when(report.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t("service.description")} span={2}>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{report.description}</Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t("service.photos", { n: report.photos.length })}>
        {report.photos.length === 0
          ? <Typography.Text type="secondary">{t("service.noPhotos")}</Typography.Text>
          : <Image.PreviewGroup>
              <Space wrap data-testid="report-photos">
                {report.photos.map((p) => (
                  <Image key={p.id} src={p.url} width={96} height={96} alt={p.filename}
                    style={{ objectFit: "cover", borderRadius: 4 }} data-testid="report-photo" />
                ))}
              </Space>
            </Image.PreviewGroup>}
      </Card>
      <Card size="small" title={t("service.thread")}>
        <List data-testid="report-thread" dataSource={report.replies}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("service.noReplies")} /> }}
          renderItem={(x) => (
            <List.Item data-testid="report-reply">
              <List.Item.Meta
                title={<Space wrap size={4}>
                  <Tag color={x.author_kind === "staff" ? "blue" : "default"}>
                    {t(x.author_kind === "staff" ? "service.staffSide" : "service.customerSide")}</Tag>
                  <Typography.Text strong>{x.author}</Typography.Text>
                  <Typography.Text type="secondary">{when(x.created_at)}</Typography.Text>
                  {x.status_change && <>→ <ReportStatusTag status={x.status_change} /></>}
                </Space>}
                description={<Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0, color: "inherit" }}>
                  {x.message}</Typography.Paragraph>} />
            </List.Item>)} />
      </Card>
    </Space>
  );
}
