/**
 * The installed base (S-2): a customer's machines, entered by staff, each with a warranty
 * derived from its purchase date. The server computes `warranty_until` and `in_warranty`
 * and decides in the end; these helpers give the forms their choices, preview the
 * warranty's last day while a form is filled in, and say which tag a machine shows.
 */

export const COLLECTION_STATUSES = ["paid", "partial", "unpaid"] as const;
export type CollectionStatus = (typeof COLLECTION_STATUSES)[number];

export const CONSUMABLE_PAYMENT_METHODS = ["prepaid", "on_delivery", "monthly", "other"] as const;
export type ConsumablePaymentMethod = (typeof CONSUMABLE_PAYMENT_METHODS)[number];

/** The i18n key of a collection status / consumable payment method. */
export const collectionKey = (s: string) => `machines.collection.${s}`;
export const consumablePaymentKey = (m: string) => `machines.consumablePaymentMethod.${m}`;

/** Select options (labels translated by `t`). */
export function collectionOptions(t: (key: string) => string) {
  return COLLECTION_STATUSES.map((s) => ({ value: s, label: t(collectionKey(s)) }));
}

export function consumablePaymentOptions(t: (key: string) => string) {
  return CONSUMABLE_PAYMENT_METHODS.map((m) => ({ value: m, label: t(consumablePaymentKey(m)) }));
}

export const MAX_WARRANTY_MONTHS = 120;
/** A warranty with this many days left or fewer is "expiring". */
export const EXPIRING_DAYS = 30;

export type WarrantyState = "in" | "expiring" | "expired" | "none";

export interface MachineWarranty {
  warranty_months: number;
  warranty_until: string | null;
  in_warranty: boolean;
  warranty_days_left: number | null;
}

/** Which warranty tag a machine shows: none (0 months), in warranty, expiring (in
 *  warranty with at most 30 days left) or expired (also: purchase date not reached). */
export function warrantyState(m: MachineWarranty): WarrantyState {
  if (m.warranty_months <= 0 || m.warranty_until === null) return "none";
  if (!m.in_warranty) return "expired";
  return m.warranty_days_left !== null && m.warranty_days_left <= EXPIRING_DAYS ? "expiring" : "in";
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The last day of the warranty as the server derives it: the same day `months` calendar
 *  months after the purchase (or that month's last day when it is shorter), less one day.
 *  A 12-month warranty from 2026-03-15 runs until 2027-03-14; 0 months is none (null). */
export function warrantyUntil(purchaseDate: string, months: number): string | null {
  const m = ISO_DATE.exec(purchaseDate);
  if (!m || !Number.isInteger(months) || months <= 0) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const index = month - 1 + months;
  const y = year + Math.floor(index / 12);
  const mo = index % 12; // 0-based
  const lastOfMonth = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(y, mo, Math.min(day, lastOfMonth)));
  end.setUTCDate(end.getUTCDate() - 1);
  return `${pad(end.getUTCFullYear(), 4)}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}`;
}
