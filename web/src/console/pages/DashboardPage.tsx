import { AuditOutlined, ShoppingOutlined, TeamOutlined } from "@ant-design/icons";
import { Card, Col, Row, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrapList } from "../../api/client";
import { has } from "../../lib/permissions";
import { useAuth } from "../../shared/auth";
import { useLoad } from "../../shared/hooks";

/** What waits for the user: registrations to review and orders to process. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const perms = me?.permissions ?? [];
  const canReview = has(perms, "customers:review");
  const canOrders = has(perms, "orders:query");
  const canCustomers = has(perms, "customers:query");
  const counts = useLoad(async () => {
    const count = async (p: Promise<{ items: unknown[]; total: number }>) => (await p).total;
    const [pending, submitted, customers] = await Promise.all([
      canReview ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "pending_review", limit: 1 } } }))) : Promise.resolve(undefined),
      canOrders ? count(unwrapList(api.GET("/api/console/orders", { params: { query: { status: ["submitted"], limit: 1 } } }))) : Promise.resolve(undefined),
      canCustomers ? count(unwrapList(api.GET("/api/console/customers", { params: { query: { status: "approved", limit: 1 } } }))) : Promise.resolve(undefined),
    ]);
    return { pending, submitted, customers };
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
      </Row>
    </>
  );
}
