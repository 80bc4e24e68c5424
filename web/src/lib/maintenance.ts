/**
 * Maintenance and return-visit records (S-3..S-9, B-5): the six menus of 维修记录, the
 * labels and tag colours of kinds, payment and states, and the form's values turned into
 * the API's body. The server decides which menus a record is in (`menus`) and checks
 * every rule; these helpers only say what the page shows and send what was typed.
 */
import { formatCents } from "./money";

/** The five record menus the API filters by, and the sixth, the query with statistics. */
export const RECORD_MENUS = ["content", "factory", "key", "unprocessed", "suspended"] as const;
export type RecordMenu = (typeof RECORD_MENUS)[number];
export const MENUS = [...RECORD_MENUS, "query"] as const;
export type MaintenanceMenu = (typeof MENUS)[number];

export const isMenu = (v: string | null | undefined): v is MaintenanceMenu =>
  (MENUS as readonly string[]).includes(v ?? "");

export const KINDS = ["repair", "return_visit"] as const;
export type Kind = (typeof KINDS)[number];

export const PAYMENT_STATUSES = ["free", "unpaid", "paid"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export type CategoryKind = "fault" | "visit";

/** Repairs take fault categories, return visits visit categories (as the API checks). */
export const categoryKindFor = (kind: Kind): CategoryKind => (kind === "repair" ? "fault" : "visit");

export type RecordState = "processed" | "unprocessed" | "suspended";

/** A record is suspended (whatever else), else processed or not. */
export function recordState(r: { processed: boolean; suspended: boolean }): RecordState {
  if (r.suspended) return "suspended";
  return r.processed ? "processed" : "unprocessed";
}

/** What the detail may offer: entries and suspending while open, resuming while suspended. */
export function recordActions(r: { processed: boolean; suspended: boolean }) {
  const state = recordState(r);
  return { addEntry: state === "unprocessed", suspend: state === "unprocessed", resume: state === "suspended" };
}

export const STATE_COLORS: Record<RecordState, string> = {
  processed: "success", unprocessed: "warning", suspended: "default",
};
export const KIND_COLORS: Record<Kind, string> = { repair: "volcano", return_visit: "blue" };
export const PAYMENT_COLORS: Record<PaymentStatus, string> = { free: "default", unpaid: "error", paid: "success" };

/** i18n keys. */
export const menuKey = (m: string) => `maintenance.menu.${m}`;
export const kindKey = (k: string) => `maintenance.kind.${k}`;
export const stateKey = (s: string) => `maintenance.state.${s}`;
export const paymentKey = (p: string) => `maintenance.payment.${p}`;

export function kindOptions(t: (key: string) => string) {
  return KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }));
}

export function paymentOptions(t: (key: string) => string) {
  return PAYMENT_STATUSES.map((p) => ({ value: p, label: t(paymentKey(p)) }));
}

/** The charge as the API's string decimal: 123.4 → "123.40"; empty → "0.00". Numbers are
 *  rounded to cents the way a person would (123.405 → "123.41"), never through floats'
 *  binary tails ("0.1 + 0.2"). */
export function chargeString(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "0.00";
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a charge: ${JSON.stringify(value)}`);
  const shifted = Number(`${n}e2`);  // "123.405e2" is exactly 12340.5, unlike 123.405 * 100
  return formatCents(BigInt(Math.round(Number.isFinite(shifted) ? shifted : n * 100)));
}

export interface AccessoryRow { name?: string | null; quantity?: number | null }

/** The accessories the form lists, without empty rows; a missing quantity is 1. */
export function accessoriesBody(rows: readonly (AccessoryRow | undefined | null)[] | undefined):
    { name: string; quantity: number }[] {
  return (rows ?? []).flatMap((row) => {
    const name = row?.name?.trim();
    if (!name) return [];
    const q = row?.quantity;
    return [{ name, quantity: typeof q === "number" && Number.isInteger(q) && q > 0 ? q : 1 }];
  });
}

/** The record form's values (dates already "YYYY-MM-DD"). */
export interface RecordValues {
  customer_id: string;
  kind: Kind;
  machine_id?: string | null;
  category_id?: string | null;
  service_date?: string | null;
  content: string;
  engineer?: string | null;
  accessories?: (AccessoryRow | undefined | null)[];
  charge?: number | string | null;
  payment_status?: PaymentStatus | null;
  return_to_factory?: boolean;
  factory_return_method?: string | null;
  key_matter?: boolean;
  processed?: boolean;
}

const opt = (v: string | null | undefined) => v?.trim() || null;

/** The fields a record is saved with (POST adds customer_id and kind, PATCH sends these):
 *  blanks become null, the charge a string, the method only when it goes to the factory,
 *  and no payment status when it cannot fit the charge (the server then chooses). */
export function recordFields(v: Omit<RecordValues, "customer_id" | "kind" | "processed">) {
  const charge = chargeString(v.charge);
  const free = charge === "0.00";
  const status = v.payment_status ?? null;
  const fits = status === null || (status === "free") === free;
  const factory = Boolean(v.return_to_factory);
  return {
    machine_id: v.machine_id || null,
    category_id: v.category_id || null,
    service_date: v.service_date || null,
    content: v.content.trim(),
    engineer: opt(v.engineer),
    accessories: accessoriesBody(v.accessories),
    charge,
    payment_status: fits ? status : null,
    return_to_factory: factory,
    factory_return_method: factory ? opt(v.factory_return_method) : null,
    key_matter: Boolean(v.key_matter),
  };
}

/** The body of POST /api/console/maintenance-records. */
export function recordBody(v: RecordValues) {
  return { customer_id: v.customer_id, kind: v.kind, ...recordFields(v), processed: Boolean(v.processed) };
}

/** Stats by month as the chart's series: every month of the year, missing ones 0. */
export function monthlySeries(year: number, rows: readonly { month: string; customers: number; repairs: number;
    return_visits: number }[]) {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return {
    months,
    customers: months.map((m) => byMonth.get(m)?.customers ?? 0),
    repairs: months.map((m) => byMonth.get(m)?.repairs ?? 0),
    returnVisits: months.map((m) => byMonth.get(m)?.return_visits ?? 0),
  };
}
