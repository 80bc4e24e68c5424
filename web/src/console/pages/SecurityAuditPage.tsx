import { ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { api, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/dates";
import { AUDIT_KINDS, auditOutcome, isAuditKind } from "../../lib/securityAudit";
import { useLoad, useUrlFilters } from "../../shared/hooks";
import { ErrorAlert, PageTitle } from "../../shared/ui";

type AuditEvent = Schemas["AuditEventOut"];
const DAY = "YYYY-MM-DD";
const PAGE = 20;
const isDay = (v: string | null) => v && /^\d{4}-\d{2}-\d{2}$/.test(v) && dayjs(v, DAY).isValid() ? v : undefined;

/** The security audit, for staff holding settings:query: logins and their failures,
 * lockouts, password changes and resets, user, permission and role changes, dead-letter
 * replays — who, when, from where, and whether it succeeded. Filters by user, kind and
 * period (business dates, Asia/Shanghai) live in the address. */
export function SecurityAuditPage() {
  const { t } = useTranslation();
  const { params, update } = useUrlFilters();
  const user = params.get("user")?.trim().slice(0, 128) || undefined;
  const kind = params.get("type") ?? undefined;
  const type = kind && isAuditKind(kind) ? kind : undefined;
  const from = isDay(params.get("from"));
  const to = isDay(params.get("to"));
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const list = useLoad(() => unwrapList(api.GET("/api/console/audit", { params: { query: {
    user, type,
    // Business dates; a time without a zone is Asia/Shanghai; `to` is exclusive.
    from: from ? `${from}T00:00:00` : undefined,
    to: to ? `${dayjs(to, DAY).add(1, "day").format(DAY)}T00:00:00` : undefined,
    limit: PAGE, offset: (page - 1) * PAGE,
  } } })), [user, type, from, to, page]);
  const kindLabel = (k: string) => isAuditKind(k) ? t(`securityAudit.kind.${k}`) : t("securityAudit.kindOther");
  const reasonOf = (e: AuditEvent) => {
    const r = e.after?.reason;
    return typeof r === "string" ? t(`securityAudit.reason.${r}`, { defaultValue: t("securityAudit.reasonOther") }) : undefined;
  };

  return (
    <>
      <PageTitle title={t("securityAudit.title")} sub={t("securityAudit.sub")}
        extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>{t("common.refresh")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap data-testid="audit-filters">
          <Input.Search key={`user-${user ?? ""}`} defaultValue={user} allowClear maxLength={128}
            enterButton={<SearchOutlined />} placeholder={t("securityAudit.user")} aria-label={t("securityAudit.user")}
            style={{ width: 240 }} data-testid="audit-user"
            onSearch={(v) => update({ user: v.trim() || undefined })} />
          <Select allowClear showSearch optionFilterProp="label" value={type} placeholder={t("securityAudit.event")}
            aria-label={t("securityAudit.event")} style={{ width: 220 }} data-testid="audit-kind"
            onChange={(v?: string) => update({ type: v })}
            options={AUDIT_KINDS.map((k) => ({ value: k, label: t(`securityAudit.kind.${k}`) }))} />
          <DatePicker.RangePicker allowEmpty={[true, true]} aria-label={t("securityAudit.period")}
            value={[from ? dayjs(from, DAY) : null, to ? dayjs(to, DAY) : null]}
            onChange={(v) => update({ from: v?.[0]?.format(DAY), to: v?.[1]?.format(DAY) })} />
          {(user || type || from || to) && (
            <Button onClick={() => update({ user: undefined, type: undefined, from: undefined, to: undefined })}>
              {t("lc.resetFilters")}</Button>
          )}
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<AuditEvent>
          rowKey="id" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 900 }}
          data-testid="audit-table"
          pagination={{ current: page, pageSize: PAGE, total: list.data?.total, showSizeChanger: false,
            onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("securityAudit.time"), dataIndex: "occurred_at", width: 170,
              render: (v: string) => formatDateTime(v, true) },
            { title: t("securityAudit.user"), dataIndex: "actor", ellipsis: { showTitle: false },
              render: (actor: string | null, e) => {
                const text = e.target && e.target !== actor
                  ? `${actor ?? t("securityAudit.system")} → ${e.target}` : (actor ?? e.target ?? t("securityAudit.system"));
                return <Tooltip title={text}>{text}</Tooltip>;
              } },
            { title: t("securityAudit.event"), dataIndex: "type", width: 190,
              render: (k: string) => <span data-kind={k}>{kindLabel(k)}</span> },
            { title: t("securityAudit.address"), dataIndex: "address", width: 150,
              render: (v: string | null) => v ?? "—" },
            { title: t("securityAudit.outcome"), key: "outcome", width: 200,
              render: (_: unknown, e) => {
                const failed = auditOutcome(e.type) === "failure";
                const reason = reasonOf(e);
                return (<Space size={4} wrap>
                  <Tag color={failed ? "red" : "green"}>{t(failed ? "securityAudit.failure" : "securityAudit.success")}</Tag>
                  {reason && <Typography.Text type="secondary">{reason}</Typography.Text>}
                </Space>);
              } },
          ]}
        />
      </Card>
    </>
  );
}
