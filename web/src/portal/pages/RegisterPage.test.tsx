import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "../../shared/auth";
import { Providers } from "../../shared/Providers";
import { RegisterPage } from "./RegisterPage";

const GET = vi.fn();
const POST = vi.fn();
vi.mock("../../api/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../api/client")>();
  return { ...real, api: { GET: (...a: unknown[]) => GET(...a), POST: (...a: unknown[]) => POST(...a) } };
});

function page() {
  return render(<Providers><AuthProvider kind="customer"><MemoryRouter><RegisterPage /></MemoryRouter></AuthProvider></Providers>);
}

describe("registering a company (C-1, C-2)", () => {
  beforeEach(() => {
    GET.mockReset().mockResolvedValue({ error: { error: "Unauthorized" }, response: new Response(null, { status: 401 }) });
    POST.mockReset();
  });

  it("checks the fields as the API does before sending", async () => {
    page();
    fireEvent.change(screen.getByLabelText("手机"), { target: { value: "12345" } });
    fireEvent.change(screen.getByLabelText("邮箱"), { target: { value: "not-an-email" } });
    fireEvent.click(screen.getByRole("button", { name: "提交注册" }));
    expect(await screen.findByText("请输入正确的手机号（1 开头的 11 位数字）", {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByText("请输入正确的邮箱地址")).toBeInTheDocument();
    expect(POST).not.toHaveBeenCalled();
  });

  it("shows the API's refusal in Chinese on the field", async () => {
    POST.mockResolvedValue({
      error: { error: "ValidationError", detail: "company.tax_number: must be 15 to 20 letters",
        errors: [{ loc: ["body", "company", "tax_number"], msg: "Value error, must be 15 to 20 letters (A-Z) or digits" }] },
      response: new Response(null, { status: 422 }),
    });
    page();
    const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
    fill("用户名", "yinmei");
    fill("密码", "secret-123");
    fill("确认新密码", "secret-123");
    fill("公司名称", "上海印美图文有限公司");
    fill("采购负责人", "王丽");
    fill("手机", "13812345678");
    fill("邮箱", "wangli@example.cn");
    fill("地址", "上海市闵行区春东路 88 号");
    fireEvent.click(screen.getByRole("button", { name: "提交注册" }));
    expect(await screen.findAllByText("税号应为 15–20 位字母或数字", {}, { timeout: 8000 })).not.toHaveLength(0);
    expect(POST.mock.calls[0][1].body.company).toEqual({
      name: "上海印美图文有限公司", contact_person: "王丽", mobile: "13812345678",
      email: "wangli@example.cn", address: "上海市闵行区春东路 88 号" });
  });
});
