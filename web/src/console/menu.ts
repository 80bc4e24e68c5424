import type { MenuEntry } from "../lib/permissions";

/** The console's menu; each entry shows when the user holds any of `anyOf`. */
export interface ConsoleEntry extends MenuEntry {
  /** The route, and the i18n key `console.menu.<label>` (a label with a dot is a whole key). */
  label: string;
  icon: string;
  children?: readonly ConsoleEntry[];
}

export const CONSOLE_MENU: readonly ConsoleEntry[] = [
  { key: "/", label: "dashboard", icon: "dashboard", anyOf: [] },
  { key: "customers-group", label: "customersGroup", icon: "team", anyOf: [], children: [
    { key: "/review", label: "review", icon: "audit", anyOf: ["customers:review"] },
    { key: "/customers", label: "customers", icon: "team", anyOf: ["customers:query"] },
    { key: "/products", label: "products", icon: "appstore", anyOf: ["customers:query"] },
  ] },
  { key: "orders-group", label: "ordersGroup", icon: "shopping", anyOf: [], children: [
    { key: "/orders", label: "orders", icon: "shopping", anyOf: ["orders:query"] },
    { key: "/orders/all", label: "allOrders", icon: "unordered", anyOf: ["orders:query"] },
    { key: "/orders/entry", label: "entry", icon: "form", anyOf: ["orders:entry"] },
    { key: "/returns", label: "returns", icon: "rollback", anyOf: ["orders:query"] },
    { key: "/invoices", label: "fapiao.consoleMenu", icon: "invoice", anyOf: ["invoices:query"] },
    { key: "/statements", label: "statements.consoleMenu", icon: "statement", anyOf: ["payments:query"] },
    { key: "/points", label: "points.consoleMenu", icon: "gift", anyOf: ["points:query"] },
  ] },
  { key: "service-group", label: "serviceGroup", icon: "tool", anyOf: [], children: [
    { key: "/machines", label: "machines", icon: "tool", anyOf: ["service_desk:query"] },
    { key: "/service-requests", label: "serviceRequests", icon: "tool", anyOf: ["service_desk:query"] },
    { key: "/maintenance", label: "maintenance", icon: "maintenance", anyOf: ["service_desk:query"] },
  ] },
  { key: "analysis-group", label: "analysisGroup", icon: "barChart", anyOf: [], children: [
    { key: "/analysis", label: "analysis", icon: "barChart", anyOf: ["reports:query"] },
    { key: "/analysis/orders", label: "analysisOrders", icon: "search", anyOf: ["reports:query"] },
    { key: "/analysis/anomalies", label: "anomalies", icon: "warning", anyOf: ["reports:query"] },
  ] },
  { key: "content-group", label: "contentGroup", icon: "notification", anyOf: [], children: [
    { key: "/articles", label: "articles", icon: "notification", anyOf: ["messages:query"] },
    { key: "/messages", label: "messages", icon: "message", anyOf: ["messages:entry", "messages:query"] },
    { key: "/deliveries", label: "deliveries", icon: "send", anyOf: ["messages:query"] },
  ] },
  { key: "settings-group", label: "settingsGroup", icon: "setting", anyOf: [], children: [
    { key: "/staff", label: "staff", icon: "user", anyOf: ["settings:query"] },
    { key: "/roles", label: "roles", icon: "safety", anyOf: ["settings:query"] },
    { key: "/contacts", label: "contacts", icon: "phone", anyOf: ["settings:query"] },
    { key: "/security/audit", label: "securityAudit", icon: "securityScan", anyOf: ["settings:query"] },
    { key: "/ops/dead-letters", label: "ops.menu", icon: "alert", anyOf: ["ops:query"] },
  ] },
];

/** The route keys of the visible entries (for the router's guards). */
export function routeKeys(entries: readonly ConsoleEntry[]): string[] {
  return entries.flatMap((e) => (e.children ? routeKeys(e.children) : [e.key]));
}
