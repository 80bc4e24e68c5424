/** Dead letters for operators (B-7): the statuses and reasons the API uses, and how the
 *  page shows ids and payloads. */

export const DEAD_LETTER_STATUSES = ["open", "replayed", "discarded"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** The reasons the API names (`DeadLetterOut.reason`); anything else is shown as is. */
export const DEAD_LETTER_REASONS = ["handler_failed", "unreadable", "unreadable_event",
  "delivery_limit", "rejected", "expired", "maxlen", "unknown"] as const;

export function isKnownReason(reason: string): boolean {
  return (DEAD_LETTER_REASONS as readonly string[]).includes(reason);
}

/** The first block of a UUID (enough to tell rows apart); other keys shortened. */
export function shortId(id: string | null | undefined): string {
  if (!id) return "—";
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id)) return id.slice(0, 8);
  return id.length > 16 ? `${id.slice(0, 15)}…` : id;
}

/** A value as indented JSON (text stays text). */
export function pretty(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2) ?? "";
}

/** The services to filter by: every consumer's queue, each once, sorted. */
export function serviceOptions(queues: readonly { service: string; open: number }[]):
    { value: string; open: number }[] {
  const open = new Map<string, number>();
  for (const q of queues) open.set(q.service, (open.get(q.service) ?? 0) + q.open);
  return [...open.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([value, n]) => ({ value, open: n }));
}

/** The X-Unavailable-Services header as a list. */
export function unavailableServices(header: string | null | undefined): string[] {
  return (header ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}
