import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../shared/Providers";
import { OrderDetailPage } from "./OrderDetailPage";

const GET = vi.fn();
const POST = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, api: { GET: (...a: unknown[]) => GET(...a), POST: (...a: unknown[]) => POST(...a), PUT: vi.fn() } };
});

const ok = (data: unknown) => Promise.resolve({ data, response: new Response(null, { status: 200 }) });

function order(status: string, actions: string[]) {
  return {
    id: "o1", number: "DH20261124-0001", customer_id: "c1", customer_name: "新彩", source: "portal", status,
    order_date: "2026-11-24", delivery_date: "2026-11-27", bill_type: "none", total: "320.60", list_total: "320.60",
    paid_total: "0.00", outstanding: "320.60", payment_status: "unpaid", invoiced: false, total_quantity: 2,
    version: 1, created_by: "xincai", created_at: "2026-11-24T01:00:00Z", updated_at: "2026-11-24T01:00:00Z",
    remark: null, first_reviewed_by: null, first_reviewed_at: null, reviewed_by: null, reviewed_at: null,
    review_reason: null, cancel_reason: null, cancelled_at: null, completed_at: null, payments: [], returns: [],
    lines: [{ product_id: "p1", name: "UV 墨水（黑）", model: "INK-UV-K-1L", quantity: 2, unit_price: "160.30",
      list_price: "160.30", line_total: "320.60", shipped_quantity: 0, received_quantity: 0, returned_quantity: 0,
      returnable_quantity: 0 }],
    shipments: [], actions,
  };
}

const EMPTY_LEDGER = { order_id: "o1", number: "DH20261124-0001", total: "320.60", paid_total: "0.00",
  refunded_total: "0.00", outstanding: "320.60", refundable: "0.00", payment_status: "unpaid", entries: [] };

function show(o: unknown, ledger: unknown = EMPTY_LEDGER) {
  GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : path.endsWith("/payments") ? ledger : o));
  render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
    <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
}

describe("the order's buttons follow its actions (O-4, O-8, O-9)", () => {
  beforeEach(() => { GET.mockReset(); });

  it("offers modify and cancel while the order awaits review", async () => {
    show(order("submitted", ["modify", "cancel"]));
    expect(await screen.findByText("修改订单")).toBeInTheDocument();
    expect(screen.getByText("取消订单")).toBeInTheDocument();
    expect(screen.queryByText("申请取消")).not.toBeInTheDocument();
    expect(screen.queryByText("申请退货")).not.toBeInTheDocument();
  });

  it("offers only a cancellation request after review", async () => {
    show(order("processing", ["request_cancellation"]));
    expect(await screen.findByText("申请取消")).toBeInTheDocument();
    expect(screen.queryByText("修改订单")).not.toBeInTheDocument();
    expect(screen.queryByText("取消订单")).not.toBeInTheDocument();
  });
});

describe("paying online (B-2, O-6)", () => {
  beforeEach(() => { GET.mockReset(); POST.mockReset(); });

  const approved = () => ({ ...order("processing", ["request_cancellation"]), due_date: "2026-12-24", overdue: false });
  const intent = (status: string) => ({
    intent_id: "i1", order_id: "o1", provider: "sandbox", code_url: "/api/payments/sandbox/DH1", amount: "320.60",
    currency: "CNY", expires_at: "2026-11-24T02:00:00Z", status, paid_at: status === "paid" ? "2026-11-24T01:10:00Z" : null,
  });

  it("shows the QR code of the chosen provider and reloads the order once it is paid", async () => {
    let polls = 0;
    GET.mockImplementation((path: string) => {
      if (path.endsWith("/timeline")) return ok([]);
      if (path === "/api/portal/payment-providers") return ok([{ provider: "sandbox", method: "sandbox" }]);
      if (path.includes("/payment-intents/")) { polls += 1; return ok(intent("paid")); }
      return ok(approved());
    });
    POST.mockImplementation(() => ok(intent("created")));
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    await userEvent.click(await screen.findByText("在线支付"));
    await userEvent.click(await screen.findByText("沙箱"));
    expect(POST).toHaveBeenCalledWith("/api/portal/orders/{order_id}/pay",
      { params: { path: { order_id: "o1" } }, body: { provider: "sandbox" } });
    expect(await screen.findByTestId("pay-qr")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /打开沙箱支付页/ })).toHaveAttribute("href", "/api/payments/sandbox/DH1");
    const loads = GET.mock.calls.filter(([p]) => p === "/api/portal/orders/{order_id}").length;
    expect(await screen.findByText("支付成功", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(polls).toBe(1);
    await vi.waitFor(() => expect(GET.mock.calls.filter(([p]) => p === "/api/portal/orders/{order_id}").length)
      .toBeGreaterThan(loads));
  });

  it("offers no online payment before approval or when the platform has none", async () => {
    GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : order("submitted", ["modify"])));
    const first = render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    expect(await screen.findByText("修改订单")).toBeInTheDocument();
    expect(screen.queryByText("在线支付")).not.toBeInTheDocument();
    first.unmount();
    GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") || path.endsWith("payment-providers") ? [] : approved()));
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    expect(await screen.findByText("申请取消")).toBeInTheDocument();
    await vi.waitFor(() => expect(GET).toHaveBeenCalledWith("/api/portal/payment-providers"));
    expect(screen.queryByText("在线支付")).not.toBeInTheDocument();
  });
});

describe("the customer's payments, reversals and refunds (O-6)", () => {
  beforeEach(() => { GET.mockReset(); });

  const entry = (e: Record<string, unknown>) => ({ method: null, reference: null, recorded_by: null, reason: null,
    payment_id: null, reversal_id: null, decided_by: null, decided_at: null, decision_reason: null,
    created_at: "2026-11-25T02:00:00Z", ...e });
  const ledger = {
    order_id: "o1", number: "DH20261124-0001", total: "801.50", paid_total: "401.50", refunded_total: "100.00",
    outstanding: "400.00", refundable: "60.00", payment_status: "partially_paid",
    entries: [
      entry({ id: "p1", kind: "payment", amount: "401.50", entry_date: "2026-11-25", method: "bank_transfer",
        reference: "HZ-001", status: "recorded" }),
      entry({ id: "p2", kind: "payment", amount: "400.00", entry_date: "2026-11-25", method: "wechat_pay",
        status: "reversed", reversal_id: "r1" }),
      entry({ id: "r1", kind: "reversal", amount: "400.00", entry_date: "2026-11-26", status: "approved",
        reason: "重复登记", payment_id: "p2", decided_at: "2026-11-26T02:00:00Z" }),
      entry({ id: "f1", kind: "refund", amount: "100.00", entry_date: "2026-11-28", method: "bank_transfer",
        status: "recorded", reason: "退货退款" }),
    ],
  };
  const paid = () => ({ ...order("processing", []), total: "801.50", paid_total: "401.50", outstanding: "400.00",
    payment_status: "partially_paid", payments: [
      { id: "p1", amount: "401.50", paid_on: "2026-11-25", method: "bank_transfer", reference: "HZ-001",
        recorded_by: "cashier", created_at: "2026-11-25T02:00:00Z" },
      { id: "p2", amount: "400.00", paid_on: "2026-11-25", method: "wechat_pay", reference: null,
        recorded_by: "online:wechat_pay", created_at: "2026-11-25T02:00:00Z" }] });

  it("shows each entry with its kind, the reversed payment struck and tagged, refunds as money back", async () => {
    show(paid(), ledger);
    const card = await screen.findByTestId("payment-ledger");
    expect(card).toHaveTextContent("收款与退款");
    expect(GET).toHaveBeenCalledWith("/api/portal/orders/{order_id}/payments", { params: { path: { order_id: "o1" } } });
    const rows = card.querySelectorAll("tr.ant-table-row");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent("付款");
    expect(rows[0]).toHaveTextContent("¥401.50");
    expect(rows[0]).toHaveTextContent("银行转账");
    expect(rows[0]).toHaveTextContent("HZ-001");
    expect(rows[0]).toHaveTextContent("已入账");
    expect(rows[0].querySelector("del")).toBeNull();
    // the reversed payment: struck through and tagged 已冲正
    expect(rows[1].querySelector("del")).toHaveTextContent("¥400.00");
    expect(rows[1]).toHaveTextContent("微信支付（在线）");
    expect(rows[1]).toHaveTextContent("已冲正");
    expect(rows[2]).toHaveTextContent("冲正");
    expect(rows[2]).toHaveTextContent("-¥400.00");
    expect(rows[2]).toHaveTextContent("重复登记");
    expect(rows[3]).toHaveTextContent("退款");
    expect(rows[3]).toHaveTextContent("-¥100.00");
    expect(rows[3]).toHaveTextContent("已退还给您");
    expect(rows[3]).toHaveTextContent("退货退款");
    // the totals, and what is still to be paid back
    expect(screen.getByTestId("ledger-paid")).toHaveTextContent("¥401.50");
    expect(screen.getByTestId("ledger-outstanding")).toHaveTextContent("¥400.00");
    expect(screen.getByTestId("ledger-refunded")).toHaveTextContent("¥100.00");
    expect(screen.getByTestId("ledger-refundable")).toHaveTextContent("¥60.00");
    // no staff names, no staff actions; the plain payments list gives way to the ledger
    expect(card).not.toHaveTextContent("经办人");
    expect(screen.queryByRole("button", { name: /冲正/ })).not.toBeInTheDocument();
    expect(screen.queryByText("付款记录")).not.toBeInTheDocument();
  });

  it("shows no ledger while nothing was paid", async () => {
    show(order("submitted", ["modify"]));
    expect(await screen.findByRole("button", { name: /修改订单/ })).toBeInTheDocument();
    await vi.waitFor(() => expect(GET).toHaveBeenCalledWith("/api/portal/orders/{order_id}/payments",
      { params: { path: { order_id: "o1" } } }));
    expect(screen.queryByTestId("payment-ledger")).not.toBeInTheDocument();
  });

  it("hides 待退还 when nothing is to be refunded", async () => {
    show(paid(), { ...ledger, refundable: "0.00" });
    expect(await screen.findByTestId("payment-ledger")).toBeInTheDocument();
    expect(screen.queryByTestId("ledger-refundable")).not.toBeInTheDocument();
  });
});

describe("an order paid partly with points (P-2)", () => {
  beforeEach(() => { GET.mockReset(); });

  const withPoints = (status: string, extra: Record<string, unknown> = {}) => ({
    ...order("submitted", ["modify", "cancel"]), points_requested: 100, points_used: 0, points_status: status,
    points_reason: null, payable: "320.60", ...extra });

  it("shows the points while the points service confirms, then the deduction once reserved", async () => {
    let loads = 0;
    GET.mockImplementation((path: string) => {
      if (path.endsWith("/timeline")) return ok([]);
      if (path.endsWith("/payments")) return ok(EMPTY_LEDGER);
      loads += 1;
      return ok(loads === 1 ? withPoints("requested")
        : withPoints("reserved", { points_used: 100, payable: "220.60", outstanding: "220.60" }));
    });
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    expect(await screen.findByText("确认中")).toBeInTheDocument();
    expect(screen.getByTestId("order-points")).toHaveTextContent("−¥100.00");
    expect(await screen.findByText("已预留", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText("积分抵扣")).toBeInTheDocument();
    expect(screen.getByTestId("order-payable")).toHaveTextContent("¥220.60");
  });

  it("says why the points could not be used, and leaves the total payable", async () => {
    show(withPoints("refused", { points_reason: "threshold" }));
    expect(await screen.findByText("未能使用：累计积分未达兑换门槛")).toBeInTheDocument();
    expect(screen.getByTestId("order-payable")).toHaveTextContent("¥320.60");
    expect(screen.getByTestId("order-points").querySelector("del")).not.toBeNull();
  });

  it("shows nothing about points for an order that used none", async () => {
    show(withPoints("none", { points_requested: 0 }));
    expect(await screen.findByRole("button", { name: /修改订单/ })).toBeInTheDocument();
    expect(screen.queryByText("积分抵扣")).not.toBeInTheDocument();
  });
});

describe("a cancelled or rejected order owes nothing (issue 15)", () => {
  beforeEach(() => { GET.mockReset(); POST.mockReset(); });
  const paidOnce = { ...EMPTY_LEDGER, paid_total: "100.00", outstanding: "0.00", refundable: "100.00",
    entries: [{ id: "e1", kind: "payment", amount: "100.00", entry_date: "2026-11-24", method: "bank_transfer",
      reference: null, recorded_by: null, created_at: "2026-11-24T01:00:00Z", status: "recorded", reason: null }] };

  it.each(["cancelled", "rejected"])("shows no amount outstanding when %s", async (status) => {
    show({ ...order(status, []), paid_total: "100.00", outstanding: "0.00" }, paidOnce);
    expect(await screen.findByText("DH20261124-0001")).toBeInTheDocument();
    expect(await screen.findByTestId("ledger-paid")).toHaveTextContent("¥100.00");
    expect(screen.queryByTestId("order-outstanding")).toBeNull();
    expect(screen.queryByTestId("ledger-outstanding")).toBeNull();
  });

  it("shows it while the order is open", async () => {
    show({ ...order("processing", []), paid_total: "100.00", outstanding: "220.60" },
      { ...paidOnce, outstanding: "220.60", refundable: "0.00" });
    expect(await screen.findByTestId("order-outstanding")).toHaveTextContent("¥220.60");
    expect(await screen.findByTestId("ledger-outstanding")).toHaveTextContent("¥220.60");
  });

  it("再来一单 opens the new-order page for that order and places nothing", async () => {
    GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : path.endsWith("/payments")
      ? EMPTY_LEDGER : order("completed", [])));
    function Where() { const l = useLocation(); return <p data-testid="where">{l.pathname + l.search}</p>; }
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/new" element={<Where />} />
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    await userEvent.click(await screen.findByTestId("reorder"));
    expect(await screen.findByTestId("where")).toHaveTextContent("/orders/new?from=o1");
    expect(POST).not.toHaveBeenCalled();
  });
});
