import { CheckOutlined, CloseOutlined, ReloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Drawer, Form, Input, Modal, Segmented, Space, Table,
  Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../../api/client";
import type { Schemas } from "../../api/client";
import { toCents } from "../../lib/money";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { CreditHoldTag, ReleaseHoldButton } from "../../shared/credit";
import { useApiError, useLoad } from "../../shared/hooks";
import { ConsoleOrderDetail } from "./ConsoleOrderDetail";
import { ErrorAlert, Money, OrderStatusTag, PageTitle, PaymentStatusTag } from "../../shared/ui";

type Order = Schemas["OrderSummary"];
type Filter = "submitted" | "approved" | "rejected" | "all";

/** Orders to be processed (O-5): the submitted ones by default, batch approve or reject. */
export function OrdersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [filter, setFilter] = useState<Filter>("submitted");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [viewing, setViewing] = useState<string>();
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();
  const pageSize = 20;
  const list = useLoad(() => unwrapList(api.GET("/api/console/orders", { params: { query: {
    status: filter === "all" ? undefined : [filter], limit: pageSize, offset: (page - 1) * pageSize,
  } } })), [filter, page]);
  const canReview = has(me?.permissions, "orders:review");

  useEffect(() => {
    const again = (e: Event) => {
      if ((e as CustomEvent<{ kind: string }>).detail?.kind === "new_order") list.reload();
    };
    window.addEventListener("dinghuo:prompt", again);
    return () => window.removeEventListener("dinghuo:prompt", again);
  }, [list]);

  const review = async (decision: "approve" | "reject", reason?: string) => {
    setBusy(true);
    try {
      const out = await unwrap(api.POST("/api/console/orders/review", {
        body: { order_ids: selected, decision, reason: reason?.trim() || null },
      }));
      void message.success(t(decision === "approve" ? "ordersConsole.approved" : "ordersConsole.rejected",
        { n: out.reviewed.length }));
      setSelected([]);
      setRejecting(false);
      form.resetFields();
      list.reload();
    } catch (err) {
      report(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t("ordersConsole.title")} sub={t("ordersConsole.sub")}
        extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>{t("common.refresh")}</Button>} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap style={{ width: "100%", justifyContent: "space-between" }}>
          <Segmented<Filter> value={filter} onChange={(v) => { setFilter(v); setPage(1); setSelected([]); }}
            options={(["submitted", "approved", "rejected", "all"] as const).map((s) => ({
              value: s, label: s === "all" ? t("common.all") : t(`orderStatus.${s}`) }))} />
          {canReview && (
            <Space wrap>
              <Typography.Text type="secondary">{t("ordersConsole.selected", { n: selected.length })}</Typography.Text>
              <Button type="primary" icon={<CheckOutlined />} disabled={!selected.length} loading={busy}
                onClick={() => void review("approve")}>{t("ordersConsole.batchApprove")}</Button>
              <Button danger icon={<CloseOutlined />} disabled={!selected.length}
                onClick={() => setRejecting(true)}>{t("ordersConsole.batchReject")}</Button>
            </Space>
          )}
        </Space>
      </Card>
      <ErrorAlert error={list.error} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Order>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          rowSelection={canReview ? {
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys as string[]),
            getCheckboxProps: (o) => ({ disabled: o.status !== "submitted", name: o.number }),
          } : undefined}
          pagination={{ current: page, pageSize, total: list.data?.total, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }) }}
          columns={[
            { title: t("field.order_number"), dataIndex: "number",
              render: (v: string, o) => <Typography.Link onClick={() => setViewing(o.id)}>{v}</Typography.Link> },
            { title: t("field.customer"), dataIndex: "customer_name" },
            { title: t("field.order_date"), dataIndex: "order_date", sorter: (a, b) => a.order_date.localeCompare(b.order_date) },
            { title: t("field.delivery_date"), dataIndex: "delivery_date", sorter: (a, b) => a.delivery_date.localeCompare(b.delivery_date) },
            { title: t("field.bill_type"), dataIndex: "bill_type", render: (v: string) => t(`billType.${v}`) },
            { title: t("field.total"), dataIndex: "total", align: "right",
              sorter: (a, b) => Number(toCents(a.total) - toCents(b.total)), render: (v: string) => <Money value={v} strong /> },
            { title: t("field.status"), dataIndex: "status", render: (s: string, o) => (
              <Space size={4} wrap><OrderStatusTag status={s} /><CreditHoldTag order={o} />
                <ReleaseHoldButton order={o} size="small" onDone={list.reload} /></Space>) },
            { title: t("field.payment_status"), dataIndex: "payment_status", render: (s: string) => <PaymentStatusTag status={s} /> },
          ]}
        />
      </Card>
      <Modal open={rejecting} title={t("ordersConsole.rejectTitle", { n: selected.length })}
        okText={t("ordersConsole.batchReject")} okButtonProps={{ danger: true, loading: busy }}
        onOk={() => void form.validateFields().then((v) => review("reject", v.reason))}
        onCancel={() => setRejecting(false)}>
        <Form form={form} layout="vertical" name="reject-orders">
          <Form.Item name="reason" label={t("field.reason")} extra={t("ordersConsole.reasonHint")}
            rules={[{ max: 500, message: t("validation.tooLong", { n: 500 }) }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Drawer open={!!viewing} width={Math.min(900, window.innerWidth)} onClose={() => setViewing(undefined)}
        title={t("orders.detail")} destroyOnHidden>
        {viewing && <ConsoleOrderDetail id={viewing} onChanged={list.reload} />}
      </Drawer>
    </>
  );
}
