import { AccountBookOutlined, AppstoreOutlined, AuditOutlined, BellOutlined, GiftOutlined, HomeOutlined, LogoutOutlined, MenuOutlined,
  ProfileOutlined, ShoppingCartOutlined, UnorderedListOutlined, StarOutlined, RollbackOutlined, UserOutlined, KeyOutlined,
  ToolOutlined, CustomerServiceOutlined, TeamOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Drawer, Dropdown, Grid, Layout, Menu, Result, Spin } from "antd";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { api, unwrap, unwrapList } from "../api/client";
import { useAuth } from "../shared/auth";
import { ChangePasswordForm } from "../shared/ChangePasswordForm";
import { useLoad } from "../shared/hooks";
import { LangSwitch } from "../shared/LangSwitch";
import { ArticlePage } from "./pages/ArticlePage";
import { CatalogPage } from "./pages/CatalogPage";
import { CompanyUsersPage } from "./pages/CompanyUsersPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { HomePage } from "./pages/HomePage";
import { InvoicesPage } from "./pages/InvoicesPage";
import { LoginPage } from "./pages/LoginPage";
import { MessagesPage } from "./pages/MessagesPage";
import { NewOrderPage } from "./pages/NewOrderPage";
import { OrderDetailPage } from "./pages/OrderDetailPage";
import { OrdersPage } from "./pages/OrdersPage";
import { EditOrderPage, MyReturnsPage, TemplatesPage } from "./pages/MoreOrderPages";
import { PasswordPage } from "./pages/PasswordPage";
import { ProfilePage } from "./pages/ProfilePage";
import { RegisterPage } from "./pages/RegisterPage";
import { StatementsPage } from "./pages/StatementsPage";
import { PointsPage } from "./pages/PointsPage";
import { MachinesPage } from "./pages/MachinesPage";
import { ServiceDetailPage, ServicePage } from "./pages/ServicePage";
import { ProfileContext, useProfile } from "./profile";

export function PortalApp() {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Spin fullscreen />;
  return (
    <Routes>
      <Route path="/login" element={me ? <Navigate to="/" replace /> : <LoginPage />} />
      <Route path="/register" element={me ? <Navigate to="/" replace /> : <RegisterPage />} />
      <Route path="/forgot-password" element={me ? <Navigate to="/" replace /> : <ForgotPasswordPage />} />
      <Route element={me ? <PortalLayout />
        : <Navigate to="/login" replace state={{ from: location.pathname }} />}>
        <Route index element={<HomePage />} />
        <Route path="catalog" element={<Approved><CatalogPage /></Approved>} />
        <Route path="orders" element={<Approved><OrdersPage /></Approved>} />
        <Route path="orders/new" element={<Approved><NewOrderPage /></Approved>} />
        <Route path="orders/:id" element={<OrderDetailPage />} />
        <Route path="orders/:id/edit" element={<Approved><EditOrderPage /></Approved>} />
        <Route path="returns" element={<Approved><MyReturnsPage /></Approved>} />
        <Route path="templates" element={<Approved><TemplatesPage /></Approved>} />
        <Route path="invoices" element={<Approved><InvoicesPage /></Approved>} />
        <Route path="statements" element={<Approved><StatementsPage /></Approved>} />
        <Route path="points" element={<PointsPage />} />
        <Route path="machines" element={<MachinesPage />} />
        <Route path="service" element={<Approved><ServicePage /></Approved>} />
        <Route path="service/:id" element={<Approved><ServiceDetailPage /></Approved>} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="articles/:id" element={<ArticlePage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="password" element={<PasswordPage />} />
        <Route path="company-users" element={<CompanyUsersPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** Ordering pages wait for the registration to be approved (C-2). */
function Approved({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { profile } = useProfile();
  if (!profile) return <Spin />;
  if (profile.status !== "approved") {
    return <Result status="info" title={t("portal.notApprovedTitle")}
      subTitle={t("portal.notApprovedText")}
      extra={<Link to="/"><Button type="primary">{t("portal.viewReview")}</Button></Link>} />;
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t("common.notFound")}
    extra={<Link to="/"><Button type="primary">{t("common.backHome")}</Button></Link>} />;
}

function PortalLayout() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const profile = useLoad(() => unwrap(api.GET("/api/portal/profile")), [me?.id]);
  // The unread count in the header: on every page change, and when the inbox changes it.
  const unread = useLoad(() => unwrapList(api.GET("/api/portal/messages", {
    params: { query: { unread: true, limit: 1 } } })).then((r) => r.total), [me?.id, location.pathname]);
  const reloadUnread = unread.reload;
  useEffect(() => {
    window.addEventListener("dinghuo:messages-changed", reloadUnread);
    return () => window.removeEventListener("dinghuo:messages-changed", reloadUnread);
  }, [reloadUnread]);

  const items = [
    { key: "/", icon: <HomeOutlined />, label: t("portal.menu.home") },
    { key: "/catalog", icon: <AppstoreOutlined />, label: t("portal.menu.catalog") },
    { key: "/orders/new", icon: <ShoppingCartOutlined />, label: t("portal.menu.newOrder") },
    { key: "/orders", icon: <UnorderedListOutlined />, label: t("portal.menu.orders") },
    { key: "/templates", icon: <StarOutlined />, label: t("lc.templates") },
    { key: "/returns", icon: <RollbackOutlined />, label: t("lc.myReturns") },
    { key: "/invoices", icon: <AccountBookOutlined />, label: t("fapiao.portalMenu") },
    { key: "/statements", icon: <AuditOutlined />, label: t("statements.portalMenu") },
    { key: "/points", icon: <GiftOutlined />, label: t("points.portalMenu") },
    { key: "/machines", icon: <ToolOutlined />, label: t("machines.portalMenu") },
    { key: "/service", icon: <CustomerServiceOutlined />, label: t("service.portalMenu") },
    { key: "/messages", icon: <BellOutlined />, label: t("inbox.title") },
    { key: "/profile", icon: <ProfileOutlined />, label: t("portal.menu.profile") },
    // the company's users: for its administrator only (C-8)
    ...(me?.company_role === "admin"
      ? [{ key: "/company-users", icon: <TeamOutlined />, label: t("companyUsers.menu") }] : []),
  ];
  const selected = items.map((i) => i.key)
    .filter((k) => k === location.pathname || (k !== "/" && location.pathname.startsWith(k)))
    .sort((a, b) => b.length - a.length)[0] ?? "/";
  const go = (key: string) => { setDrawer(false); navigate(key); };
  const signOut = async (everywhere = false) => { await logout(everywhere); navigate("/login"); };

  const userMenu = {
    items: [
      { key: "profile", icon: <UserOutlined />, label: t("portal.menu.profile") },
      { key: "password", icon: <KeyOutlined />, label: t("portal.menu.password") },
      ...(me?.company_role === "admin"
        ? [{ key: "company-users", icon: <TeamOutlined />, label: t("companyUsers.menu") }] : []),
      { type: "divider" as const },
      { key: "logout", icon: <LogoutOutlined />, label: t("common.logout"), danger: true },
      { key: "logout-everywhere", icon: <LogoutOutlined />, label: t("common.logoutEverywhere"),
        danger: true },
    ],
    onClick: ({ key }: { key: string }) => key === "logout" || key === "logout-everywhere"
      ? void signOut(key === "logout-everywhere") : go(`/${key}`),
  };

  const forced = me?.must_change_password;
  return (
    <ProfileContext.Provider value={{ profile: profile.data, reload: profile.reload }}>
      <Layout style={{ minHeight: "100%" }}>
        <Layout.Header className="app-header">
          {mobile && !forced && <Button type="text" icon={<MenuOutlined />} aria-label={t("common.menu")}
            style={{ color: "#fff" }} onClick={() => setDrawer(true)} />}
          <div className="brand" onClick={() => navigate("/")}>
            <div className="brand-mark small">订</div>
            <span className="brand-text">{t("portal.title")}</span>
          </div>
          {!mobile && !forced ? (
            <Menu theme="dark" mode="horizontal" selectedKeys={[selected]} items={items}
              onClick={({ key }) => go(key)} style={{ flex: 1, minWidth: 0 }} />
          ) : <div className="spacer" />}
          {!forced && (
            <Badge count={unread.data ?? 0} size="small" offset={[-6, 6]}>
              <Button type="text" icon={<BellOutlined />} style={{ color: "#fff" }} data-testid="inbox-bell"
                aria-label={t("inbox.bell", { n: unread.data ?? 0 })} onClick={() => go("/messages")} />
            </Badge>
          )}
          <LangSwitch light />
          <Dropdown menu={userMenu} placement="bottomRight">
            <Button type="text" icon={<UserOutlined />} style={{ color: "#fff" }}>
              {!mobile && (profile.data?.name ?? me?.display_name ?? me?.username)}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" width={260}
          title={profile.data?.name ?? t("portal.title")}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={({ key }) => go(key)}
            style={{ borderInlineEnd: "none" }} />
        </Drawer>
        <Layout.Content className="app-content">
          {forced ? (
            <Card title={t("password.forcedTitle")}>
              <p>{t("password.forcedText")}</p>
              <ChangePasswordForm onDone={() => navigate("/")} />
            </Card>
          ) : <Outlet />}
        </Layout.Content>
        <Layout.Footer style={{ textAlign: "center", color: "rgba(0,0,0,0.45)" }}>
          {t("portal.footer")}
        </Layout.Footer>
      </Layout>
    </ProfileContext.Provider>
  );
}
