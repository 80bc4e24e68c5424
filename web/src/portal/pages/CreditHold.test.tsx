import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
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

describe("a held order tells the customer why (B-3)", () => {
  beforeEach(() => { GET.mockReset(); });

  it("shows 待财务审核（超出信用额度） with the reason", async () => {
    const held = { ...order("submitted", ["modify", "cancel"]), credit_hold: true,
      credit_hold_reason: "超出信用额度：未付 ¥45,000.50 + 本单 ¥6,000.00 > 额度 ¥50,000.00",
      credit_hold_reason_en: "Over the credit limit: outstanding ¥45,000.50 + this order ¥6,000.00 > limit ¥50,000.00" };
    GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : held));
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    const notice = await screen.findByTestId("credit-hold-notice");
    expect(notice).toHaveTextContent("待财务审核（超出信用额度）");
    expect(notice).toHaveTextContent("未付 ¥45,000.50 + 本单 ¥6,000.00 > 额度 ¥50,000.00");
    expect(screen.getByTestId("credit-hold-status")).toHaveTextContent("待财务审核（超出信用额度）");
    expect(screen.queryByTestId("release-credit-hold")).not.toBeInTheDocument();
  });

  it("shows nothing for an order that is not held", async () => {
    GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : order("submitted", ["modify"])));
    render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
      <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
    expect(await screen.findByRole("button", { name: /修改订单/ })).toBeInTheDocument();
    expect(screen.queryByTestId("credit-hold-notice")).not.toBeInTheDocument();
  });
});
