/**
 * The API's errors for people: `detail` in the user's language. Chinese maps the known
 * error names, field names and messages to Chinese (texts in the i18n files under
 * `apiError`, `apiMessage` and `field`) and falls back to the API's own text.
 */
import type { TFunction } from "i18next";
import { ApiError } from "./client";

/** Known English messages (from the API's rules) → the key of their Chinese text (under
 *  `apiMessage`, or a whole key when it has a dot); "fapiaoFields" shows the first group,
 *  a list of field names, as the fapiao form's labels. */
const MESSAGES: [RegExp, string, "fapiaoFields"?][] = [
  // summaries behind the query password (A-2, X-3)
  [/This report is sensitive: enter your query password/i, "analysis.apiMessage.sensitiveLocked"],
  [/^from \((\S+)\) must not be after to \((\S+)\)$/i, "analysis.apiMessage.fromAfterTo"],
  [/A summary covers at most three years/i, "analysis.apiMessage.tooLong"],
  [/^Wrong query password, or the account is temporarily locked$/i, "analysis.apiMessage.wrongQueryPassword"],
  [/^Wrong current password, or the account is temporarily locked$/i, "analysis.apiMessage.wrongCurrentPassword"],
  [/You have no query password yet/i, "analysis.apiMessage.noQueryPassword"],
  [/query_password must differ from your login password/i, "analysis.apiMessage.queryPasswordSame"],
  [/Only staff users have a query password/i, "analysis.apiMessage.staffOnly"],
  // the order query (A-1)
  [/^The period is the wrong way round: from (\S+) is after to (\S+)$/i, "orderQuery.apiMessage.fromAfterTo"],
  [/^The amount range is the wrong way round: amount_min (\S+) is more than amount_max (\S+)$/i, "orderQuery.apiMessage.amountRange"],
  [/^(\d+) orders match, more than the (\d+) one export holds/i, "orderQuery.apiMessage.tooMany"],
  // anomaly follow-ups (B-6)
  [/This customer is not overdue/i, "anomalies.apiMessage.notOverdue"],
  // fault reports (S-1)
  [/This fault report is closed and accepts no more replies or photos/i, "service.apiMessage.closed"],
  [/^This fault report is already closed$/i, "service.apiMessage.alreadyClosed"],
  [/Only a resolved fault report can be closed; this one is (\w+)/i, "service.apiMessage.closeOnlyResolved"],
  [/A fault report that is (\w+) cannot be moved to (\w+)/i, "service.apiMessage.badTransition"],
  [/Only staff can change the status of a fault report/i, "service.apiMessage.staffOnlyStatus"],
  [/Choose at least one photo to upload/i, "service.apiMessage.noPhoto"],
  [/A fault report takes at most (\d+) photos; this one has (\d+)/i, "service.apiMessage.tooManyPhotos"],
  [/A fault report takes at most (\d+) photos; (\d+) were sent/i, "service.apiMessage.tooManySent"],
  [/^Photo (.+): the file is not a JPEG, PNG or WebP image$/i, "service.apiMessage.notImage"],
  [/^Photo (.+): the file is empty$/i, "service.apiMessage.emptyFile"],
  [/^Photo (.+): the file is (?:larger than|[\d.]+ MB; a photo may be at most)/i, "service.apiMessage.tooLarge"],
  [/^Photo (.+): the image has too many pixels$/i, "service.apiMessage.tooManyPixels"],
  [/^Photo (.+): the image is damaged or incomplete$/i, "service.apiMessage.damaged"],
  [/^Photo (.+): (\S+) images are not accepted/i, "service.apiMessage.format"],
  [/That machine is not one of your company's machines/i, "service.apiMessage.notYourMachine"],
  [/Say which machine is faulty/i, "service.apiMessage.whichMachine"],
  [/^Service request not found$/i, "service.apiMessage.notFound"],
  [/^Photo not found$/i, "service.apiMessage.photoNotFound"],
  // repair charges paid with points (P-2, S-3)
  [/Points pay repair charges only/i, "maintenance.apiMessage.pointsRepairOnly"],
  [/This repair has no charge to pay with points/i, "maintenance.apiMessage.pointsNoCharge"],
  [/The charge of (\S+) yuan takes at most (\d+) points/i, "maintenance.apiMessage.pointsMost"],
  [/Points are already being used for this charge/i, "maintenance.apiMessage.pointsInUse"],
  [/The points service has not answered the last request yet/i, "maintenance.apiMessage.pointsPending"],
  [/No points were spent on this charge/i, "maintenance.apiMessage.pointsNone"],
  [/(\d+) points pay part of this charge: give them back/i, "maintenance.apiMessage.pointsCoverCharge"],
  // maintenance records (S-3..S-8)
  [/factory_return_method is required when the machine goes back to the factory/i, "maintenance.apiMessage.factoryMethod"],
  [/A record without a charge has nothing to pay/i, "maintenance.apiMessage.noCharge"],
  [/A record with a charge cannot be free/i, "maintenance.apiMessage.chargeNotFree"],
  [/^charge must be between 0 and (\S+)$/i, "maintenance.apiMessage.chargeRange"],
  [/^The service date (\S+) is in the future$/i, "maintenance.apiMessage.serviceDateFuture"],
  [/This record is already processed: no more repair processing entries/i, "maintenance.apiMessage.alreadyProcessed"],
  [/This record is suspended: resume it before work continues/i, "maintenance.apiMessage.suspendedResume"],
  [/A processed record cannot be suspended/i, "maintenance.apiMessage.processedNoSuspend"],
  [/This record is already suspended/i, "maintenance.apiMessage.alreadySuspended"],
  [/This record is not suspended/i, "maintenance.apiMessage.notSuspended"],
  [/^The category (.+) already exists$/i, "maintenance.apiMessage.categoryExists"],
  [/machine_id is not one of this customer's machines/i, "maintenance.apiMessage.machineNotCustomers"],
  [/takes a (?:fault|visit) category; .+ is a \w+ category/i, "maintenance.apiMessage.wrongCategory"],
  [/category_id is not a known category/i, "maintenance.apiMessage.unknownCategory"],
  [/service_request_id is not one of this customer's fault reports/i, "maintenance.apiMessage.requestNotCustomers"],
  [/^Maintenance record not found$/i, "maintenance.apiMessage.notFound"],
  // the installed base (S-2)
  [/The purchase date (\S+) is in the future/i, "machines.apiMessage.purchaseFuture"],
  [/The purchase date (\S+) is before \d+; check the year/i, "machines.apiMessage.purchaseTooOld"],
  [/Machine number (.+?) is already registered/i, "machines.apiMessage.numberTaken"],
  [/^Machine not found$/i, "machines.apiMessage.notFound"],
  // dead letters and unsent events (B-7)
  [/^This dead letter was already replayed by (\S+) at /i, "ops.apiMessage.alreadyReplayed"],
  [/^This dead letter was already discarded by (\S+) at /i, "ops.apiMessage.alreadyDiscarded"],
  [/^No such dead letter$/i, "ops.apiMessage.notFound"],
  [/Dead letters and unsent events carry data of customers in every area/i, "ops.apiMessage.areaBound"],
  [/^say why the dead letter is discarded$/i, "ops.apiMessage.discardReason"],
  [/This unsent event is no longer waiting for an operator/i, "ops.apiMessage.outboxGone"],
  [/The broker did not take the message for queue (\S+)/i, "ops.apiMessage.queueMissing"],
  [/The message broker is unavailable; the dead letter stays/i, "ops.apiMessage.brokerDown"],
  [/^No such service: (\S+)$/i, "ops.apiMessage.noSuchService"],
  // paying with points (P-2)
  [/Points can be used once (\d+) points have taken effect in total; you have (-?\d+)/i, "points.apiMessage.threshold"],
  [/this order can take at most (\d+) points, not (\d+)/i, "points.apiMessage.redeemable"],
  [/You have (\d+) points left, not (\d+)/i, "points.apiMessage.insufficient"],
  [/This order pays (\d+) points, and its consumables and accessories would be worth only (\d+) yuan/i, "points.apiMessage.modification"],
  [/points_to_use must be at most (\d+)/i, "points.apiMessage.tooMany"],
  // monthly statements (B-1)
  [/has not ended yet; a statement can be/i, "statements.apiMessage.notEnded"],
  [/statement of \S+ is already confirmed/i, "statements.apiMessage.alreadyConfirmed"],
  [/statement of \S+ is disputed; staff will answer/i, "statements.apiMessage.waiting"],
  [/statement of \S+ is not disputed/i, "statements.apiMessage.notDisputed"],
  [/statement of \S+ changed since you loaded it/i, "statements.apiMessage.changed"],
  [/is not a month; (write it as YYYY-MM|months are 01 to 12)/i, "statements.apiMessage.badMonth"],
  [/has not begun yet; the latest statement/i, "statements.apiMessage.notBegun"],
  [/statements start in 2000-01/i, "statements.apiMessage.before2000"],
  // the invoice service (I-1, I-2, I-3)
  [/needs [\w, ]+; missing: ([\w, ]+)\./i, "fapiao.apiMessage.missingDetails", "fapiaoFields"],
  [/Order (\S+) was (?:rejected|cancelled) and cannot be invoiced/i, "fapiao.apiMessage.orderClosed"],
  [/Order (\S+) is already invoiced/i, "fapiao.apiMessage.orderInvoiced"],
  [/Order (\S+) is already on invoice request/i, "fapiao.apiMessage.orderRequested"],
  [/Order (\S+) is still being processed/i, "fapiao.apiMessage.orderProcessing"],
  [/Order (\S+) has not been reviewed yet/i, "fapiao.apiMessage.orderNotReviewed"],
  [/Order (\S+) was refunded in full/i, "fapiao.apiMessage.orderRefunded"],
  [/^Orders? (.+) not found$/i, "fapiao.apiMessage.ordersNotFound"],
  [/^Invoice not found/i, "fapiao.apiMessage.invoiceNotFound"],
  [/just put on another invoice request/i, "fapiao.apiMessage.orderJustRequested"],
  [/changed at the same time; try again/i, "fapiao.apiMessage.concurrent"],
  [/once the customer has corrected and resubmitted/i, "fapiao.apiMessage.issueRejected"],
  [/invoice is already (\w+) and cannot be issued again/i, "fapiao.apiMessage.alreadyIssued"],
  [/invoice request is already rejected/i, "fapiao.apiMessage.alreadyRejected"],
  [/invoice is already (\w+) and can no longer be rejected/i, "fapiao.apiMessage.cannotReject"],
  [/has not been issued yet; receipt can be confirmed/i, "fapiao.apiMessage.notIssued"],
  [/there is no invoice to receive/i, "fapiao.apiMessage.nothingToReceive"],
  [/receipt of this invoice has already been confirmed/i, "fapiao.apiMessage.alreadyConfirmed"],
  [/only a rejected request can be resubmitted/i, "fapiao.apiMessage.onlyRejected"],
  [/give either invoice_number .* not both/i, "fapiao.apiMessage.eitherOr"],
  [/give the fapiao's number/i, "required"],
  [/the amount (\S+) of fapiao \S+ is above the limit/i, "fapiao.apiMessage.rowAboveLimit"],
  [/The amount (\S+) is above the limit of (\S+) per fapiao/i, "fapiao.apiMessage.aboveLimit"],
  [/invoice number (\S+) is listed twice/i, "fapiao.apiMessage.listedTwice"],
  [/the amount of fapiao \S+ must be more than zero/i, "positive"],
  [/the amounts add up to (\S+), but the invoice is for (\S+)/i, "fapiao.apiMessage.sumMismatch"],
  [/invoice_date \S+ is in the future/i, "fapiao.apiMessage.dateFuture"],
  [/sent_at must not be in the future/i, "fapiao.apiMessage.sentFuture"],
  [/sent_at \S+ is before the invoice_date/i, "fapiao.apiMessage.sentBeforeDate"],
  [/say why the request is rejected/i, "reasonRequired"],
  [/Invoice numbers? (.+?) (?:is|are) already used/i, "fapiao.apiMessage.numberUsed"],
  [/One of the invoice numbers (.+) was just used/i, "fapiao.apiMessage.numberUsed"],
  [/bank account number of 8 to 30 digits/i, "fapiao.apiMessage.bankAccount"],
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
  // forgotten password (C-8)
  [/password-reset token is not valid; the account is no longer active/i, "resetAccountInactive"],
  [/password-reset token is not valid/i, "resetCodeInvalid"],
  [/password-reset token has already been used/i, "resetCodeUsed"],
  [/password-reset token has expired/i, "resetCodeExpired"],
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
  SensitiveLocked: "sensitiveLocked",
  NotFound: "notFound",
  Conflict: "conflict",
  IllegalTransition: "conflict",
  OrderNotInvoiceable: "conflict",
  StaleVersion: "stale",
  PointsNotUsable: "pointsNotUsable",
  ServiceUnavailable: "unavailable",
  TooManyRequests: "tooMany",
  InvalidResetToken: "resetCodeInvalid",
  ResetTokenUsed: "resetCodeUsed",
  ResetTokenExpired: "resetCodeExpired",
  InternalError: "internal",
};

function translateMessage(msg: string, t: TFunction): string {
  const clean = msg.replace(/^Value error, /, "");
  for (const [re, key, kind] of MESSAGES) {
    const m = re.exec(clean);
    if (!m) continue;
    const value = kind === "fapiaoFields"
      ? m[1].split(/,\s*/).map((f) => t(`fapiao.field.${f}`, f)).join("、") : m[1];
    return t(key.includes(".") ? key : `apiMessage.${key}`, { n: m[1], value, other: m[2] });
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
  const fapiaoKey = `fapiao.field.${String(named)}`;
  const label = t(key) === key ? t(fapiaoKey, key) : t(key);
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
