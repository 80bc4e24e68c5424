/**
 * Issue 15: every enum shown to a person goes through i18n. This test walks the whole
 * OpenAPI document (component schemas, inline parameter and body enums), and fails when
 * - an enum appears that is not in ENUM_LABELS (shown, with its i18n prefix) nor in
 *   NOT_SHOWN (with a reason) — a new enum, or a new value of an existing one, has to be
 *   placed here on purpose;
 * - a value of a shown enum has no label under its prefix in zh-CN or in en-US.
 * An enum is identified by its values in the document's order, joined with "|".
 * The prompt and inbox kinds the notify service writes (plain strings in the API, a
 * StrEnum in the service) and the delivery templates are checked from their source.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import openapi from "../api/openapi.json";
import enUS from "./en-US.json";
import zhCN from "./zh-CN.json";

/** enum values (joined with "|") → the i18n prefix its labels live under. */
export const ENUM_LABELS: Record<string, string> = {
  // orders, returns, shipments
  "submitted|pending_second_review|approved|rejected|cancellation_requested|cancelled|processing|partially_shipped|shipped|received|completed": "orderStatus",
  "requested|approved|rejected": "lc.returnStatus",
  "shipped|received": "lc.shipmentStatus",
  "none|ordinary_vat|special_vat": "billType",
  "paid|unpaid|overdue": "orderQuery.payment",
  // customers
  "pending_review|approved|rejected": "customerStatus",
  "normal|small|large": "grade",
  "auto|staff": "gradeSource",
  "days|weekday": "orderQuery.cycle",
  "admin|buyer": "companyRole",
  // audits and actors
  "customer|staff|system": "audit.kind",
  "customer|staff": "audit.kind",
  "customer|price|product|contact": "audit.entity",
  "customer|price": "audit.entity",
  // catalogue
  "consumable|accessory|machine|service": "category",
  // articles, prompts, deliveries
  "bulletin|guidance": "articles.kind",
  "new_order|customer_registered|customer_updated|customer_grade_changed|invoice_requested|service_request|service_request_replied|order_modified|order_second_review|order_cancelled|order_cancellation_requested|order_received|return_requested|payment_overdue|payment_reversed|order_credit_held|statement_disputed|statement_confirmed|delivery_failed": "prompt.kind",
  "requested|delivered|retrying|failed|no_recipient": "deliveryStatus",
  "sms|wechat|email|none": "channel",
  "inbox|sms|wechat": "channel",
  "open|replayed|discarded": "ops.statusValue",
  // fapiao
  "requested|issued|confirmed|rejected": "fapiao.status",
  "ordinary_vat|special_vat": "fapiao.type",
  // money
  "payment|reversal|refund": "ledger.kind",
  "recorded|reversal_pending|reversed|pending|approved|rejected": "ledger.status",
  "wechat|alipay|sandbox": "pay.provider",
  "created|paid|expired|failed": "pay",
  "order|cancellation|return|payment|reversal|refund": "statements.kind",
  "open|confirmed|disputed": "statements.status",
  "confirmed|disputed|resolved": "statements.action",
  // service desk
  "open|in_progress|waiting_for_customer|resolved|closed": "service.status",
  "in_progress|waiting_for_customer|resolved": "service.status",
  // machines and maintenance
  "in|expired": "machines.warrantyFilter",
  "paid|partial|unpaid": "machines.collection",
  "prepaid|on_delivery|monthly|other": "machines.consumablePaymentMethod",
  "repair|return_visit": "maintenance.kind",
  "free|unpaid|paid": "maintenance.payment",
  "fault|visit": "maintenance.categoryKindShort",
  "content|factory|key|unprocessed|suspended": "maintenance.menu",
  "requested|redeemed|refused|releasing|released": "maintenance.points.status",
  "order|repair": "points.subject",
  // analysis, anomalies, dashboard
  "open|contacted|will_order|lost|resolved": "anomalies.processing",
  "contacted|will_order|lost|resolved": "anomalies.processing",
  "normal|abnormal": "anomalies.standing",
  "overdue|on_time|waiting_first|no_cycle|not_approved": "anomalies.reason",
  "amount|quantity": "dashboardCharts.series",
};

/** enums never shown to a person as such, each with the reason. */
export const NOT_SHOWN: Record<string, string> = {
  "-days_overdue|days_overdue|-last_order_date|last_order_date|expected_date|-expected_date|name|-name": "sort order: chosen by clicking a labelled column header",
  "created_at|-created_at|name|-name|paid_total|-paid_total": "sort order: chosen by clicking a labelled column header",
  "date|-date|amount|-amount|quantity|-quantity|number|-number": "sort order: chosen by clicking a labelled column header",
  "amount|machines|cycle|date": "sort key: chosen by clicking a labelled column header",
  "asc|desc": "sort direction: the column header's arrow",
  "zh|en": "export language: follows the language switch",
  "image/jpeg|image/png|image/webp": "photo content type: the photo itself is shown",
  "approve|reject": "review decision: sent by the labelled approve/reject buttons",
  "reply|photos|close": "actions allowed: decide which labelled buttons appear",
  "confirm|dispute|resolve": "actions allowed: decide which labelled buttons appear",
};

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Every enum in the document: its values joined with "|" → where it appears. */
export function collectEnums(doc: Json): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (node: Json, path: string) => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${path}/${i}`)); return; }
    if (node === null || typeof node !== "object") return;
    const values = node.enum;
    if (Array.isArray(values)) {
      const key = values.map(String).join("|");
      found.set(key, [...(found.get(key) ?? []), path]);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "enum") walk(v, `${path}/${k}`);
  };
  walk(doc, "");
  return found;
}

function label(messages: object, key: string): unknown {
  return key.split(".").reduce<unknown>((node, k) =>
    node !== null && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined, messages);
}

/** The values of a shown enum (or list) that lack a label in either language. */
export function missingLabels(prefix: string, values: string[]): string[] {
  return values.flatMap((v) => (["zh-CN", "en-US"] as const).flatMap((lang) => {
    const text = label(lang === "zh-CN" ? zhCN : enUS, `${prefix}.${v}`);
    return typeof text === "string" && text.trim() !== "" ? [] : [`${lang}: ${prefix}.${v}`];
  }));
}

/** The values of a Python StrEnum class (or Literal alias) in a service's source. */
function pythonEnum(file: string, name: string): string[] {
  const src = readFileSync(resolve(__dirname, "../../..", file), "utf8");
  const cls = new RegExp(`class ${name}\\(StrEnum\\):([\\s\\S]*?)(?:\\n\\S|$)`).exec(src);
  if (cls) return [...cls[1].matchAll(/^\s+[A-Z_]+\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
  return [];
}

describe("every enum of the API has a label (issue 15)", () => {
  const enums = collectEnums(openapi as unknown as Json);

  it("finds the enums of the document", () => {
    expect(enums.size).toBeGreaterThan(40);
    expect([...enums.keys()]).toContain("pending_review|approved|rejected");
  });

  it("places every enum in the table, shown or not shown", () => {
    const unplaced = [...enums.entries()]
      .filter(([key]) => !(key in ENUM_LABELS) && !(key in NOT_SHOWN))
      .map(([key, where]) => `${key}  (at ${where.slice(0, 3).join(", ")})`);
    expect(unplaced, "new enum (or new value): add it to ENUM_LABELS with its i18n prefix, or to NOT_SHOWN with a reason").toEqual([]);
  });

  it("labels every value of a shown enum in zh-CN and en-US", () => {
    const missing = [...enums.keys()].filter((key) => key in ENUM_LABELS)
      .flatMap((key) => missingLabels(ENUM_LABELS[key], key.split("|")));
    expect([...new Set(missing)]).toEqual([]);
  });

  it("keeps no stale entries in the table", () => {
    const stale = [...Object.keys(ENUM_LABELS), ...Object.keys(NOT_SHOWN)].filter((key) => !enums.has(key));
    expect(stale).toEqual([]);
  });

  it("does not list an enum both as shown and as not shown", () => {
    expect(Object.keys(NOT_SHOWN).filter((key) => key in ENUM_LABELS)).toEqual([]);
  });

  it("labels every staff prompt kind and customer inbox kind the notify service writes", () => {
    const prompts = pythonEnum("services/notify/src/notify_service/prompts/templates.py", "PromptKind");
    const inbox = pythonEnum("services/notify/src/notify_service/messages/templates.py", "MessageKind");
    expect(prompts.length).toBeGreaterThan(15);
    expect(inbox.length).toBeGreaterThan(15);
    expect([...missingLabels("prompt.kind", prompts), ...missingLabels("inbox.kind", [...inbox, "staff_message"])]).toEqual([]);
  });

  it("reports a missing label (the check itself can fail)", () => {
    expect(missingLabels("orderStatus", ["no_such_status"])).toEqual(
      ["zh-CN: orderStatus.no_such_status", "en-US: orderStatus.no_such_status"]);
  });
});
