/**
 * Staff messages and the notifier's deliveries, pure (N-1, N-2, N-5): how the composer's
 * choices become the API's recipients, the colours and orders of delivery statuses, and
 * how a customer's contact details are shown.
 */

export const MESSAGE_TITLE_MAX = 100;
export const MESSAGE_BODY_MAX = 2000;

/** Channels a staff message can add to the inbox (which is always on). */
export const EXTRA_CHANNELS = ["sms", "wechat"] as const;
export type ExtraChannel = (typeof EXTRA_CHANNELS)[number];

export const DELIVERY_STATUSES = ["requested", "delivered", "retrying", "failed", "no_recipient"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_CHANNELS = ["sms", "wechat", "email", "none"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_TEMPLATES = ["staff_message", "payment_due", "ordering_cycle_due", "password_reset"] as const;

const STATUS_COLORS: Record<string, string> = {
  requested: "processing", delivered: "success", retrying: "warning", failed: "error", no_recipient: "default",
};

/** The Ant Design tag colour of a delivery status. */
export function deliveryStatusColor(status: string): string {
  return STATUS_COLORS[status] ?? "default";
}

/** A batch's deliveries by status, in lifecycle order, without zeros (unknown ones last). */
export function statusCounts(counts: Record<string, number> | undefined): [string, number][] {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  const rank = (s: string) => {
    const i = (DELIVERY_STATUSES as readonly string[]).indexOf(s);
    return i < 0 ? DELIVERY_STATUSES.length : i;
  };
  return entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface RecipientChoice {
  mode: "filter" | "customers";
  customerIds?: string[];
  grade?: "normal" | "small" | "large";
  area?: string;
  overdue?: boolean;
  cycleDue?: boolean;
}

export type RecipientsBody =
  | { customer_ids: string[] }
  | { filter: { grade?: "normal" | "small" | "large"; area?: string; overdue?: boolean; cycle_due?: boolean } };

/** The API's `customer_ids` or `filter` from the composer's choice. An unticked condition
 *  is no condition (not "without"); a blank area is none. `undefined` when specific
 *  customers were chosen but none yet. */
export function recipientsBody(choice: RecipientChoice): RecipientsBody | undefined {
  if (choice.mode === "customers") {
    const ids = [...new Set(choice.customerIds ?? [])];
    return ids.length ? { customer_ids: ids } : undefined;
  }
  const filter: { grade?: "normal" | "small" | "large"; area?: string; overdue?: boolean; cycle_due?: boolean } = {};
  if (choice.grade) filter.grade = choice.grade;
  const area = choice.area?.trim();
  if (area) filter.area = area;
  if (choice.overdue) filter.overdue = true;
  if (choice.cycleDue) filter.cycle_due = true;
  return { filter };
}

/** The channels to send: the inbox always, then the ticked ones once each. */
export function sendChannels(extra: readonly string[] | undefined): ("inbox" | ExtraChannel)[] {
  const chosen = EXTRA_CHANNELS.filter((c) => extra?.includes(c));
  return ["inbox", ...chosen];
}

/** A mobile number with its middle digits hidden: 13900001111 → 139****1111. */
export function maskMobile(mobile: string | null | undefined): string {
  if (!mobile) return "";
  const m = mobile.trim();
  if (m.length < 7) return m.replace(/.(?=.{2})/g, "*");
  return `${m.slice(0, 3)}${"*".repeat(m.length - 7)}${m.slice(-4)}`;
}

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/** The i18n key of what is wrong with a WeChat openid (blank is allowed: unbound). */
export function openidProblem(value: unknown): string | null {
  if (value == null) return null;
  const v = String(value).trim();
  if (!v) return null;
  return OPENID.test(v) ? null : "notifySettings.openidInvalid";
}

/** The openid to save: trimmed, or null when blank (unbinds). */
export function openidValue(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/** A staff message's title and body from an inbox message's data (N-5). */
export function staffMessageParts(data: Record<string, unknown> | undefined, fallback: string):
    { title: string; body: string } {
  const title = typeof data?.title === "string" ? data.title : "";
  const body = typeof data?.body === "string" ? data.body : "";
  if (title || body) return { title, body };
  const i = fallback.indexOf("：");
  return i > 0 ? { title: fallback.slice(0, i), body: fallback.slice(i + 1) } : { title: "", body: fallback };
}
