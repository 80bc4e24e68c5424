/**
 * The API's errors for people: `detail` in the user's language. Chinese maps the known
 * error names, field names and messages to Chinese (texts in the i18n files under
 * `apiError`, `apiMessage` and `field`) and falls back to the API's own text.
 */
import type { TFunction } from "i18next";
import { ApiError } from "./client";

/** Known English messages (from the API's rules) → the key of their Chinese text. */
const MESSAGES: [RegExp, string][] = [
  [/No customer matches/i, "noRecipients"],
  [/Unknown customer id/i, "unknownCustomers"],
  [/matches more than \d+ customers/i, "filterTooBroad"],
  [/Only a failed delivery can be retried|cannot be sent again/i, "cannotRetry"],
  [/String should match pattern '\^\[A-Za-z0-9_-\]\+\$'/i, "openid"],
  [/Chinese mobile number/i, "mobile"],
  [/valid email address/i, "email"],
  [/15 to 20 letters/i, "taxNumber"],
  [/QQ number/i, "qq"],
  [/must not be blank|Field required|must not be empty/i, "required"],
  [/at most (\d+) characters/i, "tooLong"],
  [/at least (\d+) characters?/i, "tooShort"],
  [/password must contain both letters and digits/i, "passwordMix"],
  [/password must not be the same as the username/i, "passwordIsUsername"],
  [/must differ from the current password/i, "passwordSame"],
  [/username must be 3-40 characters/i, "username"],
  [/already taken/i, "usernameTaken"],
  [/Invalid username or password/i, "badLogin"],
  [/session has expired/i, "sessionExpired"],
  [/session has ended/i, "sessionEnded"],
  [/change your own permissions, roles or areas/i, "ownAccess"],
  [/no active staff user with full rights/i, "lastFullRights"],
  [/must be an amount of money/i, "money"],
  [/between 2000-01-01 and 2099-12-31/i, "dateRange"],
  [/Please log in first|Invalid or missing credentials/i, "loginFirst"],
  [/current password is (wrong|incorrect|not correct)/i, "currentPasswordWrong"],
  [/locked/i, "locked"],
  [/rejection needs a reason/i, "reasonRequired"],
  [/greater than 0|positive/i, "positive"],
  [/whole number|valid integer/i, "wholeNumber"],
  [/before the order date|in the past/i, "deliveryPast"],
  [/valid date/i, "date"],
  [/Extra inputs are not permitted/i, "extra"],
  [/List should have at least 1 item|At least one/i, "atLeastOne"],
  [/staff console is for staff users only/i, "consoleStaffOnly"],
  [/customer portal is for customer users only/i, "portalCustomersOnly"],
  [/Permission (\S+) is required/i, "permissionRequired"],
  [/only a customer pending review can be/i, "notPending"],
  [/not approved|awaiting review|until your registration is approved/i, "notApproved"],
  [/not in your catalogue|not one of your products|not in the customer's catalogue/i, "notInCatalog"],
  [/change it first/i, "passwordChangeRequired"],
  [/only submitted orders|is not submitted|cannot be (approved|rejected)/i, "orderNotSubmitted"],
];

const BY_NAME: Record<string, string> = {
  NetworkError: "network",
  Unauthorized: "unauthorized",
  Forbidden: "forbidden",
  NotGrantable: "forbidden",
  PasswordChangeRequired: "passwordChangeRequired",
  NotFound: "notFound",
  Conflict: "conflict",
  IllegalTransition: "conflict",
  StaleVersion: "stale",
  ServiceUnavailable: "unavailable",
  TooManyRequests: "tooMany",
  InternalError: "internal",
};

function translateMessage(msg: string, t: TFunction): string {
  const clean = msg.replace(/^Value error, /, "");
  for (const [re, key] of MESSAGES) {
    const m = re.exec(clean);
    if (m) return t(`apiMessage.${key}`, { n: m[1], value: m[1] });
  }
  return clean;
}

const LOCATIONS = ["body", "query", "path", "header", "cookie"];

/** A field's path in the form: the location FastAPI puts first is dropped (a field that
 *  is itself called "body", like an article's, keeps its name), and the registration's
 *  nested `company` object is flat in its form. */
function fieldPath(loc: (string | number)[]): (string | number)[] {
  const rest = loc.length && LOCATIONS.includes(String(loc[0])) ? loc.slice(1) : loc;
  return rest.filter((p) => p !== "company");
}

function fieldLabel(loc: (string | number)[], t: TFunction): string {
  const parts = fieldPath(loc);
  const named = [...parts].reverse().find((p) => typeof p === "string");
  if (named === undefined) return "";
  const key = `field.${String(named)}`;
  const label = t(key);
  const index = parts.find((p) => typeof p === "number");
  const row = typeof index === "number" ? t("apiMessage.row", { n: index + 1 }) : "";
  return (label === key ? String(named) : label) + row;
}

const FIELD_PART = /^([A-Za-z_][\w.]*): (.+)$/;

function translateDetail(detail: string, t: TFunction): string {
  // "company.mobile: must be ...; lines.0.quantity: ..." → per field, translated; any
  // other detail is one sentence (it may contain "; " itself).
  const parts = detail.split(/;\s+/);
  if (!parts.every((p) => FIELD_PART.test(p))) return translateMessage(detail, t);
  return parts
    .map((part) => {
      const m = /^([A-Za-z_][\w.]*): (.+)$/.exec(part);
      if (!m) return translateMessage(part, t);
      const loc = m[1].split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const label = fieldLabel(loc, t);
      return `${label ? `${label}：` : ""}${translateMessage(m[2], t)}`;
    })
    .join("；");
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** One sentence for a message box. */
export function describeError(err: unknown, t: TFunction, lang: string): string {
  if (!(err instanceof ApiError)) {
    return err instanceof Error ? err.message : String(err);
  }
  const { error = "", detail = "", errors } = err.body;
  if (!lang.startsWith("zh")) return detail || t(`apiError.${BY_NAME[error] ?? "unknown"}`);
  if (error === "ValidationError" && errors?.length) {
    return errors
      .slice(0, 5)
      .map((e) => {
        const label = fieldLabel(e.loc, t);
        return `${label ? `${label}：` : ""}${translateMessage(e.msg, t)}`;
      })
      .join("；");
  }
  if (detail) {
    const translated = translateDetail(detail, t);
    if (translated !== detail) return translated;
  }
  const byName = BY_NAME[error] ?? (err.status === 0 ? "network" : undefined);
  if (byName) {
    const general = t(`apiError.${byName}`);
    return detail && byName !== "network" && byName !== "internal" ? `${general}（${detail}）` : general;
  }
  return detail || t("apiError.unknown");
}

/** The API's field errors as Ant Design form fields (`prefix` strips e.g. "company"). */
export function formFieldErrors(err: unknown, t: TFunction, lang: string):
    { name: (string | number)[]; errors: string[] }[] {
  if (!(err instanceof ApiError)) return [];
  const zh = lang.startsWith("zh");
  const out: { name: (string | number)[]; errors: string[] }[] = [];
  const add = (loc: (string | number)[], msg: string) => {
    const name = fieldPath(loc);
    if (name.length) out.push({ name, errors: [zh ? translateMessage(msg, t) : msg] });
  };
  if (err.body.errors?.length) {
    for (const e of err.body.errors) add(e.loc, e.msg);
  } else if (err.body.detail) {
    for (const part of err.body.detail.split(/;\s+/)) {
      const m = /^([A-Za-z_][\w.]*): (.+)$/.exec(part);
      if (m) add(m[1].split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), m[2]);
    }
  }
  return out;
}
