import type { TFunction } from "i18next";
import type { Prompt } from "./usePrompts";

/** A prompt's title in the reader's language (issue 15): the label of its kind, never the
 * raw key — a kind this build does not know yet reads as a generic "new prompt". */
export function promptTitle(t: TFunction, kind: string): string {
  return t(`prompt.kind.${kind}`, { defaultValue: t("prompt.kindOther") });
}

/** Where the stacked prompt pop-ups sit (issue 15): the bottom-right corner, away from the
 * header's bell, language switch and user menu; at most a few at once, the rest in the bell. */
export const POPUP_PLACEMENT = { placement: "bottomRight", bottom: 24, maxCount: 3, stackFrom: 2 } as const;

/** Where a prompt leads in the console (every kind the notify service has). */
export function targetOf(p: Prompt): string {
  const customer = typeof p.data.customer_id === "string" ? p.data.customer_id : undefined;
  const month = typeof p.data.month === "string" ? p.data.month : undefined;
  const request = typeof p.data.request_id === "string" ? p.data.request_id : undefined;
  switch (p.kind) {
    case "new_order":
    case "order_modified":
    case "order_second_review":
    case "order_cancellation_requested":
    case "order_credit_held":
      return "/orders";
    case "order_cancelled":
    case "order_received":
    case "payment_overdue":
    case "payment_reversed":
      return "/orders/all";
    case "return_requested":
      return "/returns";
    case "invoice_requested":
      return "/invoices";
    case "customer_registered":
      return "/review";
    case "customer_updated":
    case "customer_grade_changed":
      return customer ? `/customers/${customer}` : "/customers";
    case "statement_disputed":
    case "statement_confirmed":
      return customer ? `/statements/${customer}${month ? `?month=${month}` : ""}` : "/statements";
    case "service_request":
    case "service_request_replied":
      return request ? `/service-requests/${request}` : "/service-requests";
    case "delivery_failed":
      return customer ? `/deliveries?status=failed&customer_id=${customer}` : "/deliveries?status=failed";
    default:
      return "/";
  }
}
