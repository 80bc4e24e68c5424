import { AppstoreOutlined, AuditOutlined, DashboardOutlined, KeyOutlined, LogoutOutlined,
  FormOutlined, PhoneOutlined, RollbackOutlined, SafetyOutlined, UnorderedListOutlined, SettingOutlined, ShoppingOutlined, TeamOutlined,
  UserOutlined, NotificationOutlined, MessageOutlined, SendOutlined, AccountBookOutlined, FileDoneOutlined, GiftOutlined,
  ToolOutlined, ScheduleOutlined, BarChartOutlined, SearchOutlined, WarningOutlined, AlertOutlined,
  SecurityScanOutlined } from "@ant-design/icons";
import { Button, Card, Dropdown, Grid, Layout, Menu, Result, Spin, Typography } from "antd";
import type { MenuProps } from "antd";
import { useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { visibleMenu } from "../lib/permissions";
import { useAuth } from "../shared/auth";
import { ChangePasswordForm } from "../shared/ChangePasswordForm";
import { QueryPasswordForm } from "../shared/QueryPasswordForm";
import { LangSwitch } from "../shared/LangSwitch";
import { LoginCard } from "../shared/LoginCard";
import { PageTitle } from "../shared/ui";
import { CONSOLE_MENU, routeKeys } from "./menu";
import type { ConsoleEntry } from "./menu";
import { ContactsPage } from "./pages/ContactsPage";
import { DeadLettersPage } from "./pages/DeadLettersPage";
import { CustomerDetailPage } from "./pages/CustomerDetailPage";
import { CustomersPage } from "./pages/CustomersPage";
import { DashboardPage } from "./pages/DashboardPage";
import { OrdersPage } from "./pages/OrdersPage";
import { OrderPage } from "./pages/OrderPage";
import { SecurityAuditPage } from "./pages/SecurityAuditPage";
import { AllOrdersPage } from "./pages/AllOrdersPage";
import { ArticlesPage } from "./pages/ArticlesPage";
import { DeliveriesPage } from "./pages/DeliveriesPage";
import { InvoicesPage } from "./pages/InvoicesPage";
import { MessagesPage } from "./pages/MessagesPage";
import { ReturnsPage } from "./pages/ReturnsPage";
import { OrderEntryPage } from "./pages/OrderEntryPage";
import { ProductsPage } from "./pages/ProductsPage";
import { ReviewQueuePage } from "./pages/ReviewQueuePage";
import { RolesPage } from "./pages/RolesPage";
import { StaffPage } from "./pages/StaffPage";
import { CustomerStatementPage, StatementsPage } from "./pages/StatementsPage";
import { PointsPage } from "./pages/PointsPage";
import { MachinesPage } from "./pages/MachinesPage";
import { MaintenancePage } from "./pages/MaintenancePage";
import { AnalysisPage } from "./pages/AnalysisPage";
import { OrderQueryPage } from "./pages/OrderQueryPage";
import { AnomaliesPage } from "./pages/AnomaliesPage";
import { AnomalyCustomerPage } from "./pages/AnomalyCustomerPage";
import { ServiceRequestDetailPage, ServiceRequestsPage } from "./pages/ServiceRequestsPage";
import { PromptBell } from "./PromptBell";

const ICONS: Record<string, ReactNode> = {
  dashboard: <DashboardOutlined />, team: <TeamOutlined />, audit: <AuditOutlined />,
  appstore: <AppstoreOutlined />, shopping: <ShoppingOutlined />, setting: <SettingOutlined />,
  user: <UserOutlined />, unordered: <UnorderedListOutlined />, rollback: <RollbackOutlined />, form: <FormOutlined />, safety: <SafetyOutlined />, phone: <PhoneOutlined />,
  notification: <NotificationOutlined />, message: <MessageOutlined />, send: <SendOutlined />,
  invoice: <AccountBookOutlined />, statement: <FileDoneOutlined />, gift: <GiftOutlined />,
  tool: <ToolOutlined />, maintenance: <ScheduleOutlined />, barChart: <BarChartOutlined />, search: <SearchOutlined />, warning: <WarningOutlined />,
  alert: <AlertOutlined />, securityScan: <SecurityScanOutlined />,
};

/** Routes whose menu entry is not their path's prefix: [path prefix, menu key]. */
const MENU_ALIASES: readonly (readonly [string, string])[] = [
  ["/analysis/customers/", "/analysis/anomalies"],
  // An order's own page (/orders/<id>, issue 15) is under all orders, not the review queue;
  // the other pages under /orders/ are themselves.
  ["/orders/all", "/orders/all"], ["/orders/entry", "/orders/entry"], ["/orders/", "/orders/all"],
];

export function ConsoleApp() {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Spin fullscreen />;
  return (
    <Routes>
      <Route path="/login" element={me ? <Navigate to={returnTo(location.state)} replace /> : <ConsoleLogin />} />
      <Route element={me ? <ConsoleLayout /> : <Navigate to="/login" replace state={{ from: location.pathname }} />}>
        <Route index element={<DashboardPage />} />
        <Route path="review" element={<Allowed route="/review"><ReviewQueuePage /></Allowed>} />
        <Route path="customers" element={<Allowed route="/customers"><CustomersPage /></Allowed>} />
        <Route path="customers/:id" element={<Allowed route="/customers"><CustomerDetailPage /></Allowed>} />
        <Route path="products" element={<Allowed route="/products"><ProductsPage /></Allowed>} />
        <Route path="orders" element={<Allowed route="/orders"><OrdersPage /></Allowed>} />
        <Route path="orders/all" element={<Allowed route="/orders/all"><AllOrdersPage /></Allowed>} />
        <Route path="orders/entry" element={<Allowed route="/orders/entry"><OrderEntryPage /></Allowed>} />
        <Route path="orders/:id" element={<Allowed route="/orders"><OrderPage /></Allowed>} />
        <Route path="returns" element={<Allowed route="/returns"><ReturnsPage /></Allowed>} />
        <Route path="invoices" element={<Allowed route="/invoices"><InvoicesPage /></Allowed>} />
        <Route path="statements" element={<Allowed route="/statements"><StatementsPage /></Allowed>} />
        <Route path="statements/:customerId" element={<Allowed route="/statements"><CustomerStatementPage /></Allowed>} />
        <Route path="points" element={<Allowed route="/points"><PointsPage /></Allowed>} />
        <Route path="machines" element={<Allowed route="/machines"><MachinesPage /></Allowed>} />
        <Route path="service-requests" element={<Allowed route="/service-requests"><ServiceRequestsPage /></Allowed>} />
        <Route path="service-requests/:id" element={<Allowed route="/service-requests"><ServiceRequestDetailPage /></Allowed>} />
        <Route path="maintenance" element={<Allowed route="/maintenance"><MaintenancePage /></Allowed>} />
        <Route path="analysis" element={<Allowed route="/analysis"><AnalysisPage /></Allowed>} />
        <Route path="analysis/orders" element={<Allowed route="/analysis/orders"><OrderQueryPage /></Allowed>} />
        <Route path="analysis/anomalies" element={<Allowed route="/analysis/anomalies"><AnomaliesPage /></Allowed>} />
        <Route path="analysis/customers/:id" element={<Allowed route="/analysis/anomalies"><AnomalyCustomerPage /></Allowed>} />
        <Route path="staff" element={<Allowed route="/staff"><StaffPage /></Allowed>} />
        <Route path="roles" element={<Allowed route="/roles"><RolesPage /></Allowed>} />
        <Route path="articles" element={<Allowed route="/articles"><ArticlesPage /></Allowed>} />
        <Route path="messages" element={<Allowed route="/messages"><MessagesPage /></Allowed>} />
        <Route path="deliveries" element={<Allowed route="/deliveries"><DeliveriesPage /></Allowed>} />
        <Route path="contacts" element={<Allowed route="/contacts"><ContactsPage /></Allowed>} />
        <Route path="security/audit" element={<Allowed route="/security/audit"><SecurityAuditPage /></Allowed>} />
        <Route path="ops/dead-letters" element={<Allowed route="/ops/dead-letters"><DeadLettersPage /></Allowed>} />
        <Route path="password" element={<PasswordPage />} />
        <Route path="*" element={<Result status="404" title="404" />} />
      </Route>
    </Routes>
  );
}

/** Where to go after signing in: the page asked for (a bookmarked order, issue 15), else home. */
function returnTo(state: unknown): string {
  const from = (state as { from?: string } | null)?.from;
  return from && from.startsWith("/") && from !== "/login" ? from : "/";
}

function ConsoleLogin() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return (
    <div className="login-page console">
      <div className="login-lang"><LangSwitch light /></div>
      <LoginCard title={t("console.title")} subtitle={t("console.loginSubtitle")}
        forgot={<a href="/forgot-password?from=console">{t("forgot.link")}</a>}
        onDone={() => navigate(from && from !== "/login" ? from : "/", { replace: true })} />
    </div>
  );
}

function useVisibleMenu(): ConsoleEntry[] {
  const { me } = useAuth();
  return useMemo(() => visibleMenu(CONSOLE_MENU, me?.permissions ?? []), [me?.permissions]);
}

/** A page the user's permissions do not show is not reachable by its URL either. */
function Allowed({ route, children }: { route: string; children: ReactNode }) {
  const { t } = useTranslation();
  const keys = routeKeys(useVisibleMenu());
  if (!keys.includes(route)) return <Result status="403" title="403" subTitle={t("console.noPermission")} />;
  return <>{children}</>;
}

function PasswordPage() {
  const { t } = useTranslation();
  return (<>
    <PageTitle title={t("console.menu.password")} />
    <Card><ChangePasswordForm /></Card>
    <QueryPasswordForm />
  </>);
}

function ConsoleLayout() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const entries = useVisibleMenu();

  const label = (e: ConsoleEntry) => t(e.label.includes(".") ? e.label : `console.menu.${e.label}`);
  const toItems = (list: readonly ConsoleEntry[]): MenuProps["items"] => list.map((e) => (e.children
    ? { key: e.key, icon: ICONS[e.icon], label: label(e), children: toItems(e.children) }
    : { key: e.key, icon: ICONS[e.icon], label: label(e) }));
  const keys = routeKeys(entries);
  // Pages under another entry's path that belong to a different entry (a drill-down).
  const path = MENU_ALIASES.find(([prefix]) => location.pathname.startsWith(prefix))?.[1]
    ?? location.pathname;
  const selected = keys.filter((k) => k === path || (k !== "/" && path.startsWith(`${k}/`)))
    .sort((a, b) => b.length - a.length)[0] ?? "/";

  if (me?.must_change_password) {
    return (
      <div className="login-page console">
        <Card className="login-card" variant="borderless" title={t("password.forcedTitle")}
          extra={<Button type="link" onClick={() => void logout()}>{t("common.logout")}</Button>}>
          <Typography.Paragraph>{t("password.forcedText")}</Typography.Paragraph>
          <ChangePasswordForm onDone={() => navigate("/", { replace: true })} />
        </Card>
      </div>
    );
  }

  return (
    <Layout style={{ minHeight: "100%" }}>
      <Layout.Sider collapsible collapsed={collapsed || !screens.lg} onCollapse={setCollapsed}
        breakpoint="lg" width={210} style={{ position: "sticky", top: 0, height: "100vh", overflow: "auto" }}>
        <div className="app-header" style={{ background: "transparent", height: 64 }}>
          <Link to="/" className="brand"><div className="brand-mark small">订</div>
            {!(collapsed || !screens.lg) && <span className="brand-text">{t("console.title")}</span>}</Link>
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]}
          defaultOpenKeys={entries.filter((e) => e.children).map((e) => e.key)}
          items={toItems(entries)} onClick={({ key }) => navigate(key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: "#fff", padding: "0 20px", display: "flex", alignItems: "center",
          gap: 12, borderBottom: "1px solid #f0f0f0", position: "sticky", top: 0, zIndex: 10 }}>
          <div style={{ flex: 1 }} />
          <PromptBell />
          <LangSwitch />
          <Dropdown placement="bottomRight" menu={{
            items: [
              { key: "password", icon: <KeyOutlined />, label: t("console.menu.password") },
              { type: "divider" },
              { key: "logout", icon: <LogoutOutlined />, label: t("common.logout"), danger: true },
              { key: "logout-everywhere", icon: <LogoutOutlined />,
                label: t("common.logoutEverywhere"), danger: true },
            ],
            onClick: ({ key }) => key === "logout" || key === "logout-everywhere"
              ? void logout(key === "logout-everywhere").then(() => navigate("/login"))
              : navigate("/password"),
          }}>
            <Button type="text" icon={<UserOutlined />}>{me?.display_name ?? me?.username}</Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="console-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
