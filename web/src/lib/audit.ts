/**
 * The customer audit trail as a person reads it (issue 15, X-3): field names as labels,
 * status/grade changes as labelled transitions (待审核 → 已通过), money as yuan, products
 * by name (never a UUID), the approved price list as text — no raw JSON.
 */
import type { TFunction } from "i18next";
import { yuan } from "./money";

export type AuditLike = {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

export type AuditChange = { field: string; from?: string; to?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Identifiers a person needs not read: the product's name stands in for its id. */
const HIDDEN = new Set(["product_id", "customer_id", "id"]);
const MONEY = new Set(["unit_price", "list_price", "credit_limit", "paid_total", "amount"]);
/** The order fields are listed in: what identifies the record and its state first. */
const ORDER = ["number", "status", "grade", "name", "model", "category", "list_price", "unit_price", "active",
  "contact_person", "mobile", "email", "address", "area", "area_code", "telephone", "fax", "qq", "role", "phone",
  "tax_number", "invoice_title", "bank", "bank_account", "reason", "catalog", "paid_total"];
/** Fields whose values are enum values, and the i18n prefix of their labels. */
const ENUM_FIELDS: Record<string, string> = {
  status: "customerStatus", grade: "grade", category: "category", role: "contactRole",
};

export function auditFieldLabel(t: TFunction, key: string): string {
  return t(`audit.field.${key}`, { defaultValue: t(`field.${key}`, { defaultValue: key }) });
}

function money(s: string): string {
  try { return yuan(s); } catch { return s; }
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

/** One value, readable: labelled enums, yuan, yes/no, product names for ids. */
export function auditValue(t: TFunction, key: string, v: unknown, names: Record<string, string> = {}): string {
  if (isEmpty(v)) return t("audit.empty");
  if (typeof v === "boolean") return v ? t("common.yes") : t("common.no");
  if (Array.isArray(v)) return v.map((x) => auditValue(t, key, x, names)).join("、");
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    // a product line (a price list entry): name, model, price
    if ("name" in o || "product_id" in o) {
      const id = typeof o.product_id === "string" ? o.product_id : "";
      const name = typeof o.name === "string" ? o.name : (names[id] ?? t("audit.unknownProduct"));
      const model = typeof o.model === "string" && o.model ? ` ${o.model}` : "";
      const price = o.unit_price !== undefined && o.unit_price !== null ? ` ${money(String(o.unit_price))}` : "";
      return `${name}${model}${price}`;
    }
    return Object.entries(o).filter(([k]) => !HIDDEN.has(k))
      .map(([k, x]) => `${auditFieldLabel(t, k)} ${auditValue(t, k, x, names)}`).join("，");
  }
  const s = String(v);
  if (UUID.test(s)) return names[s] ?? t("audit.unknownProduct");
  if (MONEY.has(key)) return money(s);
  if (key in ENUM_FIELDS) return t(`${ENUM_FIELDS[key]}.${s}`, { defaultValue: s });
  if (key === "weekday") return t(`weekday.${s}`, { defaultValue: s });
  if (key === "kind" && (s === "days" || s === "weekday")) return auditFieldLabel(t, s);
  return s;
}

function cycleText(t: TFunction, c: Record<string, unknown>): string {
  if (c.kind === "days") return t("orderQuery.cycle.days", { n: c.days });
  if (c.kind === "weekday") return t("orderQuery.cycle.weekday", { day: t(`weekday.${String(c.weekday)}`) });
  return t("orderQuery.cycle.none");
}

/** What an audit entry changed, field by field, each value readable. */
export function auditChanges(t: TFunction, a: AuditLike, names: Record<string, string> = {}): AuditChange[] {
  const before = a.before ?? {};
  const after = a.after ?? {};
  // a price change: the product by name, its price before and after
  const product = (after.name ?? before.name) as string | undefined;
  if ("unit_price" in after && "unit_price" in before && (product || after.product_id)) {
    const id = String(after.product_id ?? before.product_id ?? "");
    const model = (after.model ?? before.model) as string | undefined;
    const name = product ?? names[id] ?? t("audit.unknownProduct");
    return [{ field: `${name}${model ? ` ${model}` : ""}`,
      from: auditValue(t, "unit_price", before.unit_price), to: auditValue(t, "unit_price", after.unit_price) }];
  }
  // an ordering cycle change: one line, "每 7 天 → 每周三"
  if ("kind" in after && "days" in after && "weekday" in after) {
    return [{ field: auditFieldLabel(t, "cycle"), from: a.before ? cycleText(t, before) : undefined,
      to: cycleText(t, after) }];
  }
  const created = !a.before;
  const deleted = !a.after;
  const rank = (k: string) => (ORDER.indexOf(k) < 0 ? ORDER.length : ORDER.indexOf(k));
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !HIDDEN.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    // a record created or deleted: its values, the empty ones left out
    .filter((k) => !(created && isEmpty(after[k])) && !(deleted && isEmpty(before[k])))
    .sort((x, y) => rank(x) - rank(y));
  return keys.map((k) => ({
    field: auditFieldLabel(t, k),
    from: a.before && k in before ? auditValue(t, k, before[k], names) : undefined,
    to: a.after && k in after ? auditValue(t, k, after[k], names) : undefined,
  }));
}

/** The changes as one line of text. */
export function auditText(t: TFunction, a: AuditLike, names: Record<string, string> = {}): string {
  return auditChanges(t, a, names).map((c) =>
    c.from !== undefined && c.to !== undefined ? `${c.field}：${c.from} → ${c.to}`
      : `${c.field}：${c.to ?? c.from ?? ""}`).join("；");
}
