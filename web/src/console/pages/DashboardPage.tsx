import { AuditOutlined, BellOutlined, FileTextOutlined, LockOutlined, ShoppingOutlined, TeamOutlined,
  WarningOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Row, Statistic, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";
import { DashboardCharts } from "./dashboard/DashboardCharts";

/** What waits for the user: registrations to review, orders to process, overdue orders,
 * fapiao requests to issue (I-2) and credit-held orders for finance (B-3); below, for
 * staff holding reports:query, the charts of a period. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const perms = me?.permissions ?? [];
  const canReview = has(perms, "customers:review");
  const canOrders = has(perms, "orders:query");
  const canCustomers = has(perms, "customers:query");
  const canInvoices = has(perms, "invoices:query");
  const canReports = has(perms, "reports:query");
  // Held orders wait for finance: who may release them (payments:review) and list orders.
  const canHolds = canOrders && has(perms, "payments:review");
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
  const counts = useLoad(async () => {
    // Each count on its own: one that cannot be loaded shows "—", the others still show.
    const count = (p: Promise<{ items: unknown[]; total: number }>) => p.then((r) => r.total, () => undefined);
    const [pending, submitted, customers, overdue, fapiao, held] = await Promise.all([
      canReview ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "pending_review", limit: 1 } } }))) : Promise.resolve(undefined),
      canOrders ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { status: ["submitted"], limit: 1 } } }))) : Promise.resolve(undefined),
      canCustomers ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "approved", limit: 1 } } }))) : Promise.resolve(undefined),
      canOrders ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { overdue: true, limit: 1 } } }))) : Promise.resolve(undefined),
      canInvoices ? count(unwrapList(api.GET("/api/console/invoices", { params: { query: { status: "requested", limit: 1 } } }))) : Promise.resolve(undefined),
      canHolds ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { credit_hold: true, limit: 1 } } }))) : Promise.resolve(undefined),
    ]);
    return { pending, submitted, customers, overdue, fapiao, held };
  }, [canReview, canOrders, canCustomers, canInvoices, canHolds]);

  return (
    <>
      <Typography.Title level={4}>{t("dashboard.hello", { name: me?.display_name ?? me?.username })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("dashboard.intro")}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {canReview && (
          <Col xs={24} md={8}>
            <Link to="/review"><Card hoverable>
              <Statistic title={t("dashboard.pendingCustomers")} value={counts.data?.pending ?? "—"}
                loading={counts.loading} prefix={<AuditOutlined />} />
            </Card></Link>
          </Col>
        )}
        {canOrders && (
          <Col xs={24} md={8}>
            <Link to="/orders"><Card hoverable>
              <Statistic title={t("dashboard.submittedOrders")} value={counts.data?.submitted ?? "—"}
                loading={counts.loading} prefix={<ShoppingOutlined />} />
            </Card></Link>
          </Col>
        )}
        {canCustomers && (
          <Col xs={24} md={8}>
            <Link to="/customers"><Card hoverable>
              <Statistic title={t("dashboard.customers")} value={counts.data?.customers ?? "—"}
                loading={counts.loading} prefix={<TeamOutlined />} />
            </Card></Link>
          </Col>
        )}
        {canOrders && (
          <Col xs={24} md={8}>
            <Link to="/orders/all?overdue=true"><Card hoverable>
              <Statistic title={t("dashboard.overdueOrders")} value={counts.data?.overdue ?? "—"}
                loading={counts.loading} prefix={<WarningOutlined />}
                valueStyle={counts.data?.overdue ? { color: "#cf1322" } : undefined} />
            </Card></Link>
          </Col>
        )}
        {canInvoices && (
          <Col xs={24} md={8}>
            <Link to="/invoices?status=requested" data-testid="dashboard-fapiao"><Card hoverable>
              <Statistic title={t("dashboard.fapiaoRequested")} value={counts.data?.fapiao ?? "—"}
                loading={counts.loading} prefix={<FileTextOutlined />} />
            </Card></Link>
          </Col>
        )}
        {canHolds && (
          <Col xs={24} md={8}>
            <Link to="/orders/all?credit_hold=true" data-testid="dashboard-credit-held"><Card hoverable>
              <Statistic title={t("dashboard.creditHeld")} value={counts.data?.held ?? "—"}
                loading={counts.loading} prefix={<LockOutlined />}
                valueStyle={counts.data?.held ? { color: "#cf1322" } : undefined} />
            </Card></Link>
          </Col>
        )}
        {canRemind && (
          <Col xs={24} md={8}>
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
