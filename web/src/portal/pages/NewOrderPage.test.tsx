import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../shared/Providers";
import { NewOrderPage } from "./NewOrderPage";

const catalog = [
  { product_id: "p1", name: "UV 墨水（黑）", model: "INK-UV-K-1L", category: "consumable", unit_price: "160.30", list_price: "198.00" },
  { product_id: "p2", name: "喷头清洗液", model: "CLN-500ML", category: "consumable", unit_price: "45.50", list_price: "58.00" },
];

const GET = vi.fn();
const POST = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, api: { GET: (...a: unknown[]) => GET(...a), POST: (...a: unknown[]) => POST(...a) } };
});

function ok(data: unknown) {
  return Promise.resolve({ data, response: new Response(null, { status: 200 }) });
}

describe("placing an order (O-1, O-3)", () => {
  beforeEach(() => {
    GET.mockReset().mockImplementation(() => ok(catalog));
    POST.mockReset();
    window.innerWidth = 1280;
  });

  it("shows live totals at list and own prices", async () => {
    render(<Providers><MemoryRouter><NewOrderPage /></MemoryRouter></Providers>);
    const ink = await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量");
    fireEvent.change(ink, { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("喷头清洗液 CLN-500ML 的数量"), { target: { value: "2" } });
    await waitFor(() => expect(screen.getByTestId("order-total")).toHaveTextContent("¥892.50"));
    expect(screen.getByTestId("list-total")).toHaveTextContent("¥1,106.00");
    expect(screen.getByText("¥213.50")).toBeInTheDocument();
  });

  it("refuses to send without quantities or a delivery date", async () => {
    render(<Providers><MemoryRouter><NewOrderPage /></MemoryRouter></Providers>);
    await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量");
    fireEvent.click(screen.getByRole("button", { name: "提交订单" }));
    expect(await screen.findByText("请选择交货日期")).toBeInTheDocument();
    expect(POST).not.toHaveBeenCalled();
  });

  it("shows the server's total after submitting", async () => {
    POST.mockImplementation(() => Promise.resolve({
      data: { id: "o1", number: "DH20261123-0001", total: "801.50" },
      response: new Response(null, { status: 201 }),
    }));
    render(<Providers><MemoryRouter><NewOrderPage /></MemoryRouter></Providers>);
    fireEvent.change(await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "5" } });
    const picker = document.querySelector<HTMLInputElement>("#order_delivery_date")!;
    fireEvent.mouseDown(picker);
    fireEvent.change(picker, { target: { value: "2099-01-15" } });
    fireEvent.keyDown(picker, { key: "Enter", code: "Enter" });
    fireEvent.click(screen.getByRole("button", { name: "提交订单" }));
    const result = await screen.findByText("订单 DH20261123-0001 已提交");
    expect(within(result.closest(".ant-result")!).getByText(/¥801.50/)).toBeInTheDocument();
    const body = POST.mock.calls[0][1].body;
    expect(body).toEqual({ delivery_date: "2099-01-15", bill_type: "none", remark: null,
      lines: [{ product_id: "p1", quantity: 5 }] });
  });
});
