/**
 * The API's input rules, checked in the browser before sending (the API checks again and
 * its error is shown when it disagrees). Each check returns null when the value is fine,
 * else the i18n key of the message. Mirrors services/customer/.../customers/domain.py
 * (company information, C-1) and gateway/.../users/domain.py (usernames, passwords, X-3).
 */

export type Check = (value: unknown) => string | null;

const MOBILE = /^1[3-9]\d{9}$/;
const MOBILE_SEPARATORS = /[\s\-()（）]/g;
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const TAX_NUMBER = /^[0-9A-Z]{15,20}$/;
const QQ = /^[1-9]\d{4,11}$/;
const AREA_CODE = /^0\d{2,3}$/;
const PHONE = /^\+?[0-9(（][0-9\-\s()（）]*(?:(?:转|ext\.?|#|-)\s*\d{1,6})?$/i;
const BANK_ACCOUNT = /^\d{8,30}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{2,39}$/;

const text = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));

export function normalizeMobile(value: string): string | null {
  let digits = value.trim().replace(MOBILE_SEPARATORS, "");
  for (const prefix of ["+86", "0086", "86"]) {
    if (digits.startsWith(prefix) && digits.length === prefix.length + 11) {
      digits = digits.slice(prefix.length);
      break;
    }
  }
  return MOBILE.test(digits) ? digits : null;
}

export const required = (max: number): Check => (v) => {
  const s = text(v).trim();
  if (!s) return "validation.required";
  return s.length > max ? "validation.tooLong" : null;
};

export const optional = (max: number): Check => (v) =>
  text(v).trim().length > max ? "validation.tooLong" : null;

export const mobile: Check = (v) => {
  const s = text(v);
  if (!s.trim()) return "validation.required";
  return s.length > 30 || normalizeMobile(s) === null ? "validation.mobile" : null;
};

export const email: Check = (v) => {
  const s = text(v).trim().toLowerCase();
  if (!s) return "validation.required";
  return s.length > 254 || !EMAIL.test(s) ? "validation.email" : null;
};

export const taxNumber: Check = (v) => {
  const s = text(v).replace(/\s/g, "").toUpperCase();
  if (!s) return null;
  return TAX_NUMBER.test(s) ? null : "validation.taxNumber";
};

export const qq: Check = (v) => {
  const s = text(v).trim();
  if (!s) return null;
  return QQ.test(s) ? null : "validation.qq";
};

export const areaCode: Check = (v) => {
  const s = text(v).trim();
  if (!s) return null;
  return AREA_CODE.test(s) ? null : "validation.areaCode";
};

export const phone: Check = (v) => {
  const s = text(v).trim().split(/\s+/).join(" ");
  if (!s) return null;
  const digits = s.replace(/\D/g, "").length;
  return PHONE.test(s) && digits >= 5 && digits <= 20 && s.length <= 40 ? null : "validation.phone";
};

export const bankAccount: Check = (v) => {
  const s = text(v).replace(/[\s-]/g, "");
  if (!s) return null;
  return BANK_ACCOUNT.test(s) ? null : "validation.bankAccount";
};

export const username: Check = (v) => {
  const s = text(v).trim();
  if (!s) return "validation.required";
  return USERNAME.test(s) ? null : "validation.username";
};

export function passwordProblem(password: string, user = ""): string | null {
  if (!password) return "validation.required";
  if (password.length < 8) return "validation.passwordShort";
  if (password.length > 128) return "validation.passwordLong";
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return "validation.passwordMix";
  if (user && password.toLowerCase() === user.trim().toLowerCase())
    return "validation.passwordIsUsername";
  return null;
}

export const reason: Check = (v) => {
  const s = text(v).trim();
  if (!s) return "validation.reasonRequired";
  return s.length > 500 ? "validation.tooLong" : null;
};

export const quantity: Check = (v) => {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) return "validation.quantity";
  return n > 1_000_000 ? "validation.quantityMax" : null;
};

/** A positive amount with at most two decimals (unit prices). */
export const price: Check = (v) => {
  const s = text(v).trim();
  if (!s) return "validation.required";
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return "validation.price";
  return Number(s) > 0 ? null : "validation.pricePositive";
};

/** The company fields (C-1), in the order the API names them, with their checks. */
export const COMPANY_CHECKS: Record<string, Check> = {
  name: required(200),
  contact_person: required(100),
  mobile,
  address: required(300),
  email,
  area: optional(100),
  area_code: areaCode,
  telephone: phone,
  fax: phone,
  qq,
  tax_number: taxNumber,
  invoice_title: optional(200),
  bank: optional(200),
  bank_account: bankAccount,
};

/** The company as the API wants it: trimmed, blanks left out. */
export function companyPayload(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(COMPANY_CHECKS)) {
    const s = text(values[key]).trim();
    if (s) out[key] = s;
  }
  return out;
}

/** Business "today" in Asia/Shanghai as YYYY-MM-DD (the order date the API uses). */
export function businessToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  }).format(now);
}

export function deliveryDate(value: string | null | undefined, today = businessToday()):
    string | null {
  if (!value) return "validation.deliveryRequired";
  return value < today ? "validation.deliveryPast" : null;
}
