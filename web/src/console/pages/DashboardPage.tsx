import { AuditOutlined, BellOutlined, ShoppingOutlined, TeamOutlined, WarningOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Row, Statistic, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap, unwrapList } from "../../api/client";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { useApiError, useLoad } from "../../shared/hooks";

/** What waits for the user: registrations to review and orders to process. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const perms = me?.permissions ?? [];
  const canReview = has(perms, "customers:review");
  const canOrders = has(perms, "orders:query");
  const canCustomers = has(perms, "customers:query");
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
    const count = async (p: Promise<{ items: unknown[]; total: number }>) => (await p).total;
    const [pending, submitted, customers, overdue] = await Promise.all([
      canReview ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "pending_review", limit: 1 } } }))) : Promise.resolve(undefined),
      canOrders ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { status: ["submitted"], limit: 1 } } }))) : Promise.resolve(undefined),
      canCustomers ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "approved", limit: 1 } } }))) : Promise.resolve(undefined),
      canOrders ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { overdue: true, limit: 1 } } }))) : Promise.resolve(undefined),
    ]);
    return { pending, submitted, customers, overdue };
  }, [canReview, canOrders, canCustomers]);

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
            <Link to="/orders/all"><Card hoverable>
              <Statistic title={t("dashboard.overdueOrders")} value={counts.data?.overdue ?? "—"}
                loading={counts.loading} prefix={<WarningOutlined />}
                valueStyle={counts.data?.overdue ? { color: "#cf1322" } : undefined} />
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
    </>
  );
}
