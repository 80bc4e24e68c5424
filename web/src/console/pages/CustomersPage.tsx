import { Card, Input, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { api, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { formatDate } from "../../lib/dates";
import { ellipsisColumn } from "../../shared/columns";
import { useLoad } from "../../shared/hooks";
import { CustomerStatusTag, ErrorAlert, Money, PageTitle } from "../../shared/ui";

type Customer = Schemas["CustomerSummary"];
type Status = Customer["status"];

/** Customers with filters: status, area and a search of name, number, contact, mobile. */
export function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<Status>();
  const [area, setArea] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/customers", { params: { query: {
    status, area: area || undefined, q: q || undefined, limit: pageSize, offset: (page - 1) * pageSize,
  } } })), [status, area, q, page]);

  return (
    <>
      <PageTitle title={t("customers.title")} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<Status> allowClear placeholder={t("field.status")} style={{ width: 150 }} value={status}
            onChange={(v) => { setStatus(v); setPage(1); }}
            options={(["pending_review", "approved", "rejected"] as const).map((s) => ({ value: s, label: t(`customerStatus.${s}`) }))} />
          <Input.Search allowClear placeholder={t("field.area")} style={{ width: 160 }}
            onSearch={(v) => { setArea(v.trim()); setPage(1); }} />
          <Input.Search allowClear placeholder={t("customers.search")} style={{ width: 300 }}
            onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Customer>
          rowKey="customer_id"
          loading={list.loading}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          onRow={(c) => ({ onClick: () => navigate(`/customers/${c.customer_id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("field.customer_number"), dataIndex: "customer_number", width: 110,
              render: (v: string, c) => <Link to={`/customers/${c.customer_id}`}>{v}</Link> },
            ellipsisColumn<Customer>({ title: t("field.name"), dataIndex: "name", width: 220 }),
            ellipsisColumn<Customer>({ title: t("field.contact_person"), dataIndex: "contact_person", width: 120 }),
            ellipsisColumn<Customer>({ title: t("field.mobile"), dataIndex: "mobile", width: 130 }),
            ellipsisColumn<Customer>({ title: t("field.area"), dataIndex: "area", width: 140 }),
            { title: t("field.status"), dataIndex: "status", width: 100, render: (s: string) => <CustomerStatusTag status={s} /> },
            { title: t("field.grade"), dataIndex: "grade", width: 90, render: (g: string) => <Tag color="gold">{t(`grade.${g}`, g)}</Tag> },
            { title: t("field.paid_total"), dataIndex: "paid_total", width: 120, align: "right", render: (v: string) => <Money value={v} /> },
            { title: t("field.next_due_date"), dataIndex: "next_due_date", width: 120, render: (v: string | null) => formatDate(v) },
          ]}
        />
      </Card>
    </>
  );
}
