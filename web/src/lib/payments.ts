import type { Schemas } from "../api/client";
import { toCents } from "./money";

type Order = Schemas["OrderOut"];

/** How often the pay-online dialog asks whether the payment has arrived (B-2). */
export const POLL_MS = 2000;

/** An approved order (it has a due date, O-6) that still owes something can be paid
 * online (B-2); the server decides in the end (409 otherwise). */
export function payableOnline(o: Order): boolean {
  return !!o.due_date && o.status !== "rejected" && o.status !== "cancelled" && toCents(o.outstanding) > 0n;
}

/** The QR code's content as a phone can open it: the sandbox's code_url is a path here. */
export function absoluteUrl(url: string, origin: string): string {
  return url.startsWith("/") ? new URL(url, origin).href : url;
}
