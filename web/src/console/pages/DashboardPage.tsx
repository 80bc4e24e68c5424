import { AlertOutlined, AuditOutlined, BellOutlined, CloseCircleOutlined, FileTextOutlined, LockOutlined,
  RollbackOutlined, SafetyCertificateOutlined, ShoppingOutlined, TeamOutlined, ToolOutlined,
  WarningOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Row, Statistic, Typography } from "antd";
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import type { paths } from "../../api/schema";
import { has } from "../../lib/permissions";
import { UNFINISHED } from "../../lib/serviceRequests";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { DashboardCharts } from "./dashboard/DashboardCharts";

/** One count of the workbench: what it counts (the queue's own list with limit=1, its
 * X-Total-Count), who sees it, and the queue, pre-filtered, it links to. */
interface Todo {
  key: string;
  /** i18n key of its title. */
  title: string;
  icon: ReactNode;
  /** Every one of these permissions is needed. */
  allOf: string[];
  to: string;
  count: () => Promise<number>;
  /** Shown in red when not zero (something late or blocked). */
  alarm?: boolean;
  testId?: string;
}

const total = (p: Promise<{ total: number }>) => p.then((r) => r.total);
type OrdersQuery = NonNullable<paths["/api/console/orders"]["get"]["parameters"]["query"]>;
const orders = (query: OrdersQuery) =>
  total(unwrapList(api.GET("/api/console/orders", { params: { query: { ...query, limit: 1 } } })));

/** The queues that may wait for someone (issue 15): registrations, orders to review (first
 * and second), cancellation requests, returns, held and overdue orders, fapiao requests,
 * unfinished service requests, dead letters; then the approved customers. */
const TODOS: Todo[] = [
  { key: "registrations", title: "dashboard.pendingCustomers", icon: <AuditOutlined />, allOf: ["customers:review", "customers:query"], to: "/review",
    count: () => total(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "pending_review", limit: 1 } } }))) },
  { key: "first-review", title: "dashboard.submittedOrders", icon: <ShoppingOutlined />, allOf: ["orders:query"],
    to: "/orders?status=submitted", count: () => orders({ status: ["submitted"] }) },
  { key: "second-review", title: "workbench.secondReview", icon: <SafetyCertificateOutlined />, allOf: ["orders:query"],
    to: "/orders?status=pending_second_review", count: () => orders({ status: ["pending_second_review"] }) },
  { key: "cancellations", title: "workbench.cancellations", icon: <CloseCircleOutlined />, allOf: ["orders:query"],
    to: "/orders?status=cancellation_requested", count: () => orders({ status: ["cancellation_requested"] }) },
  { key: "returns", title: "workbench.returns", icon: <RollbackOutlined />, allOf: ["orders:query"], to: "/returns?status=requested",
    count: () => total(unwrapList(api.GET("/api/console/returns", { params: { query: { status: "requested", limit: 1 } } }))) },
  { key: "credit-held", title: "dashboard.creditHeld", icon: <LockOutlined />, allOf: ["orders:query", "payments:review"],
    to: "/orders/all?credit_hold=true", count: () => orders({ credit_hold: true }), alarm: true, testId: "dashboard-credit-held" },
  { key: "overdue", title: "dashboard.overdueOrders", icon: <WarningOutlined />, allOf: ["orders:query"],
    to: "/orders/all?overdue=true", count: () => orders({ overdue: true }), alarm: true },
  { key: "fapiao", title: "dashboard.fapiaoRequested", icon: <FileTextOutlined />, allOf: ["invoices:query"],
    to: "/invoices?status=requested", testId: "dashboard-fapiao",
    count: () => total(unwrapList(api.GET("/api/console/invoices", { params: { query: { status: "requested", limit: 1 } } }))) },
  { key: "service-requests", title: "workbench.serviceRequests", icon: <ToolOutlined />, allOf: ["service_desk:query"],
    to: "/service-requests",
    count: () => total(unwrapList(api.GET("/api/console/service-requests", { params: { query: { status: UNFINISHED, limit: 1 } } }))) },
  { key: "dead-letters", title: "workbench.deadLetters", icon: <AlertOutlined />, allOf: ["ops:query"], alarm: true,
    to: "/ops/dead-letters?status=open",
    count: () => total(unwrapList(api.GET("/api/console/ops/dead-letters", { params: { query: { status: "open", limit: 1 } } }))) },
  { key: "customers", title: "dashboard.customers", icon: <TeamOutlined />, allOf: ["customers:query"], to: "/customers",
    count: () => total(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "approved", limit: 1 } } }))) },
];

/** The console home, a workbench (issue 15): a count for every queue the user may work on,
 * each linking to that queue pre-filtered (staff bound to areas count theirs only, C-7,
 * server side); below, for staff holding reports:query, the charts of a period. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const perms = me?.permissions ?? [];
  const todos = TODOS.filter((d) => d.allOf.every((p) => has(perms, p)));
  const canReports = has(perms, "reports:query");
  // Running the reminders by hand is for staff who may message every customer (no area limit).
  const canRemind = has(perms, "messages:entry") && !(me?.areas?.length);
  const { message } = App.useApp();
  const { report } = useApiError();
  const [reminding, setReminding] = useState(false);
  const runReminders = async () => {
    setReminding(true);
    try {
      const r = await unwrap(api.POST("/api/console/reminders/run"));
      const n = Object.values(r.jobs).reduce((a, b) => a + b, 0);
      void message.success(t("dashboard.remindersSent", { n }));
      counts.reload();
    } catch (err) { report(err); } finally { setReminding(false); }
  };
  const keys = todos.map((d) => d.key).join(",");
  // Each count on its own: one that cannot be loaded shows "—", the others still show.
  const counts = useLoad(async () => Object.fromEntries(await Promise.all(
    todos.map(async (d) => [d.key, await d.count().catch(() => undefined)] as const))), [keys]);

  return (
    <>
      <Typography.Title level={4}>{t("dashboard.hello", { name: me?.display_name ?? me?.username })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("dashboard.intro")}</Typography.Paragraph>
      <Row gutter={[16, 16]} data-testid="workbench">
        {todos.map((d) => {
          const n = counts.data?.[d.key];
          return (
            <Col key={d.key} xs={12} md={8} xl={6}>
              <Link to={d.to} data-testid={d.testId ?? `todo-${d.key}`} data-todo={d.key}><Card hoverable>
                <Statistic title={t(d.title)} value={n ?? "—"} loading={counts.loading} prefix={d.icon}
                  valueStyle={d.alarm && n ? { color: "#cf1322" } : undefined} />
              </Card></Link>
            </Col>
          );
        })}
        {canRemind && (
          <Col xs={24} md={8} xl={6}>
            <Card>
              <Typography.Paragraph type="secondary">{t("dashboard.remindersHint")}</Typography.Paragraph>
              <Button icon={<BellOutlined />} loading={reminding} onClick={() => void runReminders()}
                data-testid="run-reminders">{t("dashboard.runReminders")}</Button>
            </Card>
          </Col>
        )}
      </Row>
      {canReports && <DashboardCharts />}
    </>
  );
}
