import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { Providers } from "./Providers";
import { PaymentStatusTag } from "./ui";

describe("PaymentStatusTag (issue 15: nothing owed on a cancelled order)", () => {
  it("shows unpaid on a live order and a dash on a cancelled or rejected one", async () => {
    await i18n.changeLanguage("zh-CN");
    const { rerender } = render(<Providers><PaymentStatusTag status="unpaid" orderStatus="approved" /></Providers>);
    expect(screen.getByText("未付款")).toBeTruthy();
    for (const s of ["cancelled", "rejected"]) {
      rerender(<Providers><PaymentStatusTag status="unpaid" orderStatus={s} /></Providers>);
      expect(screen.queryByText("未付款")).toBeNull();
      expect(screen.getByText("—")).toBeTruthy();
    }
    // What was paid on a cancelled order stays visible: it is refunded.
    rerender(<Providers><PaymentStatusTag status="partially_paid" orderStatus="cancelled" /></Providers>);
    expect(screen.queryByText("—")).toBeNull();
  });
});
