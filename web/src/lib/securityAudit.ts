/**
 * The kinds of security event the gateway records (X-3; its GET /api/console/audit `type`
 * filter lists them), each with a label in both languages under `securityAudit.kind.*`.
 */
export const AUDIT_KINDS = [
  "login_succeeded", "login_failed", "login_refused_locked", "account_locked", "logout",
  "logout_everywhere", "password_changed", "password_reset_by_staff", "password_reset_by_admin",
  "password_reset_requested", "password_reset_completed", "query_password_set",
  "sensitive_unlocked", "user_created", "user_updated", "user_activated", "user_deactivated",
  "permissions_changed", "role_created", "role_updated", "dead_letter_replayed",
  "dead_letter_discarded", "outbox_event_replayed",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Events that record something refused (a failed or blocked attempt). */
const FAILURES: readonly string[] = ["login_failed", "login_refused_locked", "account_locked"];

export function auditOutcome(kind: string): "failure" | "success" {
  return FAILURES.includes(kind) ? "failure" : "success";
}

/** Why a login failed (the event's `after.reason`), labelled under `securityAudit.reason.*`. */
export const FAILURE_REASONS = ["unknown_user", "wrong_password", "inactive", "wrong_current_password",
  "wrong_query_password"] as const;

export function isAuditKind(v: string): v is AuditKind {
  return (AUDIT_KINDS as readonly string[]).includes(v);
}
