/**
 * Money in integer cents (bigint), never floating point: the API sends "801.50" strings;
 * line totals and order totals are computed in cents and formatted back. The server's
 * total stays authoritative; these are the live totals shown while ordering.
 */

const MONEY = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(value: string): bigint {
  const m = MONEY.exec(value.trim());
  if (!m) throw new Error(`not an amount of money: ${JSON.stringify(value)}`);
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}

/** "1234.50" (the wire format). */
export function formatCents(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  const yuan = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, "0");
  return `${neg ? "-" : ""}${yuan}.${rest}`;
}

/** "¥1,234.50" for people. */
export function formatYuan(cents: bigint): string {
  const [int, dec] = formatCents(cents < 0n ? -cents : cents).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${cents < 0n ? "-" : ""}¥${grouped}.${dec}`;
}

/** An API amount ("801.50") shown as "¥801.50"; empty for null. */
export function yuan(value: string | null | undefined): string {
  return value == null ? "" : formatYuan(toCents(value));
}

export function lineTotal(unitPrice: string, quantity: number): bigint {
  if (!Number.isInteger(quantity) || quantity < 0) return 0n;
  return toCents(unitPrice) * BigInt(quantity);
}

export interface PricedLine {
  unit_price: string;
  list_price: string | null;
  quantity: number;
}

export interface Totals {
  /** At the customer's own prices: what the order costs. */
  total: bigint;
  /** At list prices (the original price); lines without one count at their own price. */
  listTotal: bigint;
  /** listTotal - total. */
  saving: bigint;
  /** Lines with a positive quantity. */
  lines: number;
  quantity: number;
}

export function orderTotals(lines: PricedLine[]): Totals {
  let total = 0n;
  let listTotal = 0n;
  let count = 0;
  let quantity = 0;
  for (const line of lines) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) continue;
    total += lineTotal(line.unit_price, line.quantity);
    listTotal += lineTotal(line.list_price ?? line.unit_price, line.quantity);
    count += 1;
    quantity += line.quantity;
  }
  return { total, listTotal, saving: listTotal - total, lines: count, quantity };
}
