/**
 * Fapiao (invoice) rules the pages share, pure: the statuses and types, what each type
 * needs (mirrors the invoice service's domain, which decides in the end), the order
 * date in an order number, and the live check of a split into several fapiao (I-1, I-2).
 */
import { formatCents, toCents } from "./money";

export const INVOICE_STATUSES = ["requested", "issued", "confirmed", "rejected"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE_TYPES = ["ordinary_vat", "special_vat"] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];

/** The tax details a request carries, in the form's order. */
export const DETAIL_FIELDS = ["title", "tax_number", "bank", "bank_account", "address_phone"] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

/** What each fapiao type must show: an ordinary one the title and tax number (the
 *  customers are companies), a special one also bank, account and address/telephone. */
export const REQUIRED: Record<InvoiceType, readonly DetailField[]> = {
  ordinary_vat: ["title", "tax_number"],
  special_vat: ["title", "tax_number", "bank", "bank_account", "address_phone"],
};

export function requiredFor(type: InvoiceType | undefined, field: DetailField): boolean {
  return REQUIRED[type ?? "ordinary_vat"].includes(field);
}

/** The fields `type` needs that are still empty in `values`. */
export function missingFields(type: InvoiceType,
                              values: Partial<Record<DetailField, string | null | undefined>>): DetailField[] {
  return REQUIRED[type].filter((f) => !(values[f] ?? "").trim());
}

/** The type a request gets when the customer names none: special when every chosen
 *  order asked for a special VAT fapiao at ordering, else ordinary (as the service). */
export function defaultType(billTypes: readonly (string | null | undefined)[]): InvoiceType {
  return billTypes.length > 0 && billTypes.every((b) => b === "special_vat") ? "special_vat" : "ordinary_vat";
}

/** The business date in an order number ("DH20261123-0007" → "2026-11-23"). */
export function orderDate(number: string): string | undefined {
  const m = /^DH(\d{4})(\d{2})(\d{2})-/.exec(number);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** A form's text: trimmed, empty → null (the service then takes the profile's value). */
export function blankToNull(v: string | null | undefined): string | null {
  const s = (v ?? "").trim();
  return s ? s : null;
}

/** The per-fapiao limit as the service's suggestion reveals it: with several suggested
 *  amounts the first is a full fapiao; with one the amount fits and the limit is unknown. */
export function limitOf(suggested: readonly string[]): string | undefined {
  return suggested.length > 1 ? suggested[0] : undefined;
}

export interface FapiaoRow {
  invoice_number?: string | null;
  amount?: string | null;
}

export interface SplitCheck {
  /** The sum of the rows' amounts ("112210.00"). */
  sum: string;
  /** amount - sum: positive when something is still to be put on a fapiao. */
  rest: string;
  /** Rows (0-based) whose amount is empty, not money or not above zero. */
  badAmounts: number[];
  /** Rows above the per-fapiao limit. */
  overLimit: number[];
  /** Rows whose number is empty. */
  noNumber: number[];
  /** Rows whose number repeats an earlier row's. */
  duplicates: number[];
  /** Everything fits: numbers given and distinct, amounts valid, within the limit, adding
   *  up to exactly the invoice's amount. */
  ok: boolean;
}

function cents(v: string | null | undefined): bigint | undefined {
  try {
    return v == null || v.trim() === "" ? undefined : toCents(v);
  } catch {
    return undefined;
  }
}

/** The live check of several fapiao against the invoice's `amount` (I-2). */
export function checkSplit(amount: string, rows: readonly FapiaoRow[], limit?: string): SplitCheck {
  const max = limit === undefined ? undefined : toCents(limit);
  let sum = 0n;
  const badAmounts: number[] = [];
  const overLimit: number[] = [];
  const noNumber: number[] = [];
  const duplicates: number[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const c = cents(row.amount);
    if (c === undefined || c <= 0n) badAmounts.push(i);
    else {
      sum += c;
      if (max !== undefined && c > max) overLimit.push(i);
    }
    const number = (row.invoice_number ?? "").trim();
    if (!number) noNumber.push(i);
    else if (seen.has(number)) duplicates.push(i);
    else seen.add(number);
  });
  const rest = toCents(amount) - sum;
  return {
    sum: formatCents(sum), rest: formatCents(rest), badAmounts, overLimit, noNumber, duplicates,
    ok: rows.length > 0 && rest === 0n && !badAmounts.length && !overLimit.length
      && !noNumber.length && !duplicates.length,
  };
}

/** Rows prefilled from the service's suggested amounts, numbers to be typed. */
export function suggestedRows(suggested: readonly string[]): FapiaoRow[] {
  return suggested.map((amount) => ({ invoice_number: "", amount }));
}
