import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../shared/Providers";
import { OrderDetailPage } from "./OrderDetailPage";

const GET = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, api: { GET: (...a: unknown[]) => GET(...a), POST: vi.fn(), PUT: vi.fn() } };
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

function show(o: ReturnType<typeof order>) {
  GET.mockImplementation((path: string) => ok(path.endsWith("/timeline") ? [] : o));
  render(<Providers><MemoryRouter initialEntries={["/orders/o1"]}><Routes>
    <Route path="/orders/:id" element={<OrderDetailPage />} /></Routes></MemoryRouter></Providers>);
}

describe("the order's buttons follow its actions (O-4, O-8, O-9)", () => {
  beforeEach(() => { GET.mockReset(); });

  it("offers modify and cancel while the order awaits review", async () => {
    show(order("submitted", ["modify", "cancel"]));
    expect(await screen.findByRole("button", { name: /修改订单/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /取消订单/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /申请取消/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /申请退货/ })).not.toBeInTheDocument();
  });

  it("offers only a cancellation request after review", async () => {
    show(order("processing", ["request_cancellation"]));
    expect(await screen.findByRole("button", { name: /申请取消/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /修改订单/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /取消订单/ })).not.toBeInTheDocument();
  });
});
