import { Card, Input, InputNumber, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import {
  anomalyQuery, filtersFromSearch, filtersToSearch, overdueColor, PROCESSING_STATUSES, sortFromTable,
  tableSortOrder,
} from "../../lib/anomalies";
import type { AnomalyFilters, ProcessingStatus } from "../../lib/anomalies";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert, Money, PageTitle } from "../../shared/ui";
import { CycleText, ProcessingTag } from "./anomalies/parts";

type Row = Schemas["AnomalyRow"];

const PAGE_SIZE = 20;

/** 异常分析, table 1 (A-3, B-6, C-7): the customers of the staff member's areas whose
 *  ordering cycle has passed without an order, most days overdue first, with the
 *  processing status of the current miss; a row opens the customer (table 2). */
export function AnomaliesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const [page, setPage] = useState(1);
  const [q, setQ] = useState(filters.q ?? "");
  const [area, setArea] = useState(filters.area ?? "");
  const key = filtersToSearch(filters).toString();
  useEffect(() => { setQ(filters.q ?? ""); setArea(filters.area ?? ""); }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const list = useLoad(() => unwrapList(api.GET("/api/console/analysis/anomalies", {
    params: { query: anomalyQuery(filters, page, PAGE_SIZE) } })), [key, page]);

  const apply = (next: Partial<AnomalyFilters>) => {
    setPage(1);
    setSearch(filtersToSearch({ ...filters, ...next }), { replace: true });
  };
  const open = (r: Row) => navigate(`/analysis/customers/${r.customer_id}`,
    { state: { from: `/analysis/anomalies${search.toString() ? `?${search.toString()}` : ""}` } });
  const onChange: TableProps<Row>["onChange"] = (pagination, _filters, sorter, extra) => {
    if (extra.action === "sort") {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      apply({ sort: sortFromTable(s?.field as string | undefined, s?.order) });
    } else if (pagination.current) {
      setPage(pagination.current);
    }
  };
  const sortOrder = (field: string) => tableSortOrder(filters.sort, field);

  return (
    <>
      <PageTitle title={t("anomalies.title")} sub={t("anomalies.sub")} />
      <ErrorAlert error={list.error} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t("anomalies.filter.q")} value={q} style={{ width: 220 }}
            aria-label={t("anomalies.filter.q")} data-testid="anomaly-q" maxLength={100}
            onChange={(e) => setQ(e.target.value)} onSearch={(v) => apply({ q: v })} />
          <Input.Search allowClear placeholder={t("anomalies.filter.area")} value={area} style={{ width: 160 }}
            aria-label={t("anomalies.filter.area")} data-testid="anomaly-area" maxLength={100}
            onChange={(e) => setArea(e.target.value)} onSearch={(v) => apply({ area: v })} />
          <Select<ProcessingStatus | "">
            value={filters.status ?? ""} style={{ width: 170 }} data-testid="anomaly-status"
            aria-label={t("anomalies.filter.status")} onChange={(v) => apply({ status: v || undefined })}
            options={[{ value: "", label: t("anomalies.filter.allStatuses") },
              ...PROCESSING_STATUSES.map((s) => ({ value: s, label: t(`anomalies.processing.${s}`) }))]} />
          <InputNumber<number> min={1} max={100000} precision={0} value={filters.minDays ?? null}
            placeholder={t("anomalies.filter.minDays")} style={{ width: 190 }} data-testid="anomaly-min-days"
            aria-label={t("anomalies.filter.minDays")} addonAfter={t("anomalies.filter.days")}
            onChange={(v) => apply({ minDays: v && v >= 1 ? Math.floor(v) : undefined })} />
          {list.data && <Typography.Text type="secondary" data-testid="anomaly-count">
            {t("anomalies.filter.count", { n: list.data.total })}</Typography.Text>}
        </Space>
        <Table<Row> rowKey="customer_id" loading={list.loading} dataSource={list.data?.items}
          data-testid="anomaly-table" scroll={{ x: 1100 }} onChange={onChange}
          locale={{ emptyText: t("anomalies.empty") }}
          pagination={list.data && list.data.total > PAGE_SIZE ? {
            current: page, pageSize: PAGE_SIZE, total: list.data.total, showSizeChanger: false } : false}
          onRow={(r) => ({ onClick: () => open(r), style: { cursor: "pointer" } })}
          columns={[
            { title: t("anomalies.col.customer"), dataIndex: "name", key: "name", sorter: true,
              sortOrder: sortOrder("name"), fixed: "left", width: 220,
              render: (v: string, r) => <div data-testid="anomaly-customer">
                <Link to={`/analysis/customers/${r.customer_id}`} onClick={(e) => { e.preventDefault(); e.stopPropagation(); open(r); }}>{v}</Link>
                {r.customer_number && <div><Typography.Text type="secondary">{r.customer_number}</Typography.Text></div>}
              </div> },
            { title: t("anomalies.col.area"), dataIndex: "area", width: 110,
              render: (v: string | null) => v ?? t("anomalies.noArea") },
            { title: t("anomalies.col.grade"), dataIndex: "grade", width: 100,
              render: (v: string) => t(`grade.${v}`, v) },
            { title: t("anomalies.col.lastOrder"), dataIndex: "last_order_date", key: "last_order_date",
              sorter: true, sortOrder: sortOrder("last_order_date"), width: 130,
              render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("anomalies.never")}</Typography.Text> },
            { title: t("anomalies.col.cycle"), dataIndex: "cycle", width: 110,
              render: (c: Row["cycle"]) => <CycleText cycle={c} /> },
            { title: t("anomalies.col.expected"), dataIndex: "expected_date", key: "expected_date",
              sorter: true, sortOrder: sortOrder("expected_date"), width: 130 },
            { title: t("anomalies.col.overdue"), dataIndex: "days_overdue", key: "days_overdue", align: "right",
              sorter: true, sortOrder: sortOrder("days_overdue"), width: 120,
              render: (n: number) => <Tag color={overdueColor(n)} data-testid="days-overdue">
                {t("anomalies.overdueDays", { n })}</Tag> },
            { title: <Tooltip title={t("anomalies.usualHint")}>{t("anomalies.col.usualValue")}</Tooltip>,
              dataIndex: "usual_value", align: "right", width: 140,
              render: (v: string | null) => <Money value={v} /> },
            { title: t("anomalies.col.processing"), dataIndex: "processing_status", width: 110,
              render: (s: string) => <ProcessingTag status={s} /> },
          ]} />
      </Card>
    </>
  );
}
