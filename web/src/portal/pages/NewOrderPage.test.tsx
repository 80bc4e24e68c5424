import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { Schemas } from "../../api/client";
import { MemoryRouter } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../shared/Providers";
import { NewOrderPage } from "./NewOrderPage";

const catalog = [
  { product_id: "p1", name: "UV 墨水（黑）", model: "INK-UV-K-1L", category: "consumable", unit_price: "160.30", list_price: "198.00" },
  { product_id: "p2", name: "喷头清洗液", model: "CLN-500ML", category: "consumable", unit_price: "45.50", list_price: "58.00" },
];
const CLOSED = { pending: 0, total: 40, reserved: 0, redeemed: 0, remaining: 40, can_redeem: false, threshold: 100 };

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
    GET.mockReset().mockImplementation((path: string) => ok(path === "/api/portal/points" ? CLOSED : catalog));
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
      lines: [{ product_id: "p1", quantity: 5 }], points_to_use: 0 });
  });
});

const MACHINE = { product_id: "m1", name: "UV 平板打印机", model: "UV-2513", category: "machine", unit_price: "30000.00", list_price: "30000.00" };

async function pickDeliveryDate() {
  const picker = document.querySelector<HTMLInputElement>("#order_delivery_date")!;
  fireEvent.mouseDown(picker);
  fireEvent.change(picker, { target: { value: "2099-01-15" } });
  fireEvent.keyDown(picker, { key: "Enter", code: "Enter" });
}

describe("paying part of an order with points (P-2)", () => {
  const open = { pending: 0, total: 300, reserved: 0, redeemed: 0, remaining: 150, can_redeem: true, threshold: 100 };
  const show = (summary: unknown) => {
    GET.mockImplementation((path: string) => ok(path === "/api/portal/points" ? summary : [...catalog, MACHINE]));
    render(<Providers><MemoryRouter><NewOrderPage /></MemoryRouter></Providers>);
  };
  beforeEach(() => { GET.mockReset(); POST.mockReset(); window.innerWidth = 1280; });

  it("explains that points open at the threshold and offers none before", async () => {
    show(CLOSED);
    fireEvent.change(await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "5" } });
    expect(await screen.findByText("累计积分满 100 分后可使用（当前累计 40 分）")).toBeInTheDocument();
    expect(screen.getByLabelText("使用积分")).toBeDisabled();
    expect(screen.getByTestId("points-max")).toHaveTextContent("0");
  });

  it("offers at most the consumables' whole yuan, never the machine's", async () => {
    show({ ...open, remaining: 5000 });
    fireEvent.change(await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "2" } });
    fireEvent.change(screen.getByLabelText("UV 平板打印机 UV-2513 的数量"), { target: { value: "1" } });
    await waitFor(() => expect(screen.getByTestId("points-max")).toHaveTextContent("320"));
    expect(screen.getByTestId("points-remaining")).toHaveTextContent("5000");
  });

  it("shows the deduction and the payable, and sends the points", async () => {
    POST.mockImplementation(() => Promise.resolve({
      data: { id: "o1", number: "DH20261123-0002", total: "892.50", points_requested: 150 },
      response: new Response(null, { status: 201 }),
    }));
    show(open);
    fireEvent.change(await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("喷头清洗液 CLN-500ML 的数量"), { target: { value: "2" } });
    await waitFor(() => expect(screen.getByTestId("points-max")).toHaveTextContent("150"));
    fireEvent.click(screen.getByRole("button", { name: "全部使用" }));
    await waitFor(() => expect(screen.getByTestId("order-payable")).toHaveTextContent("¥742.50"));
    expect(screen.getByTestId("points-deduction")).toHaveTextContent("−¥150.00");
    expect(screen.getByTestId("order-total")).toHaveTextContent("¥892.50");
    await pickDeliveryDate();
    fireEvent.click(screen.getByRole("button", { name: "提交订单" }));
    expect(await screen.findByText("订单 DH20261123-0002 已提交")).toBeInTheDocument();
    expect(screen.getByText(/申请使用 150 积分抵扣/)).toBeInTheDocument();
    expect(POST.mock.calls[0][1].body).toEqual({ delivery_date: "2099-01-15", bill_type: "none", remark: null,
      lines: [{ product_id: "p1", quantity: 5 }, { product_id: "p2", quantity: 2 }], points_to_use: 150 });
  });

  it("keeps the points within what the order allows when quantities drop", async () => {
    show(open);
    fireEvent.change(await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "5" } });
    fireEvent.click(await screen.findByRole("button", { name: "全部使用" }));
    await waitFor(() => expect(screen.getByTestId("points-deduction")).toHaveTextContent("−¥150.00"));
    fireEvent.change(screen.getByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量"), { target: { value: "0" } });
    fireEvent.change(screen.getByLabelText("喷头清洗液 CLN-500ML 的数量"), { target: { value: "1" } });
    await waitFor(() => expect(screen.getByTestId("points-deduction")).toHaveTextContent("−¥45.00"));
    expect(screen.getByTestId("order-payable")).toHaveTextContent("¥0.50");
  });
});

describe("再来一单 opens the new-order page filled in for review (issue 15)", () => {
  const old = { id: "o9", number: "DH20261101-0003", order_date: "2026-11-01", delivery_date: "2026-11-04",
    bill_type: "ordinary_vat", lines: [
      { product_id: "p1", name: "UV 墨水（黑）", model: "INK-UV-K-1L", quantity: 4, unit_price: "150.00" },
      { product_id: "gone", name: "旧型号墨水", model: "INK-OLD", quantity: 3, unit_price: "99.00" },
    ] };
  beforeEach(() => {
    GET.mockReset().mockImplementation((path: string) => ok(path === "/api/portal/points" ? CLOSED
      : path === "/api/portal/orders/{order_id}" ? old : catalog));
    POST.mockReset();
    window.innerWidth = 1280;
  });

  it("fills the old lines at today's prices, explains the skipped one and sends nothing", async () => {
    render(<Providers><MemoryRouter initialEntries={["/orders/new?from=o9"]}><NewOrderPage /></MemoryRouter></Providers>);
    await waitFor(() => expect(screen.getByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量")).toHaveValue("4"));
    expect(GET).toHaveBeenCalledWith("/api/portal/orders/{order_id}", { params: { path: { order_id: "o9" } } });
    expect(screen.getByText("按订单 DH20261101-0003 再来一单")).toBeInTheDocument();
    const skipped = screen.getByTestId("reorder-skipped");
    expect(skipped).toHaveTextContent("1 个品种无法再次订购");
    expect(skipped).toHaveTextContent("旧型号墨水 INK-OLD × 3：已下架或不再向您供应");
    expect(screen.getByTestId("reorder-repriced")).toHaveTextContent("UV 墨水（黑） INK-UV-K-1L：原价 ¥150.00，今日价格 ¥160.30");
    await waitFor(() => expect(screen.getByTestId("order-total")).toHaveTextContent("¥641.20"));
    expect(document.querySelector<HTMLInputElement>("#order_delivery_date")!.value).not.toBe("");
    expect(POST).not.toHaveBeenCalled();
  });

  it("submits only when the customer presses submit, with the reviewed quantities", async () => {
    POST.mockImplementation(() => Promise.resolve({ data: { id: "o10", number: "DH20261202-0001", total: "320.60",
      points_requested: 0 }, response: new Response(null, { status: 201 }) }));
    render(<Providers><MemoryRouter initialEntries={["/orders/new?from=o9"]}><NewOrderPage /></MemoryRouter></Providers>);
    const ink = screen.getByLabelText.bind(screen, "UV 墨水（黑） INK-UV-K-1L 的数量");
    await waitFor(() => expect(ink()).toHaveValue("4"));
    fireEvent.change(ink(), { target: { value: "2" } });
    await pickDeliveryDate();
    expect(POST).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "提交订单" }));
    expect(await screen.findByText("订单 DH20261202-0001 已提交")).toBeInTheDocument();
    expect(POST.mock.calls[0][0]).toBe("/api/portal/orders");
    expect(POST.mock.calls[0][1].body).toEqual({ delivery_date: "2099-01-15", bill_type: "ordinary_vat", remark: null,
      lines: [{ product_id: "p1", quantity: 2 }], points_to_use: 0 });
  });
});

describe("staff entering an order for a customer (issue 15: no customer wording)", () => {
  beforeEach(() => { GET.mockReset(); POST.mockReset(); window.innerWidth = 1280; });

  it("speaks of the customer's price, not mine", async () => {
    render(<Providers><MemoryRouter><NewOrderPage staffFor={{ id: "c1", name: "华东广告", catalog: catalog as Schemas["PortalCatalogItem"][] }} /></MemoryRouter></Providers>);
    await screen.findByLabelText("UV 墨水（黑） INK-UV-K-1L 的数量");
    expect(screen.getByText("以上为按该客户的专属价格实时计算的金额，最终金额以提交后系统计算为准。")).toBeInTheDocument();
    expect(screen.queryByText(/我的价格|按您的专属价格/)).toBeNull();
    expect(screen.queryByTestId("use-points")).toBeNull();
  });
});
