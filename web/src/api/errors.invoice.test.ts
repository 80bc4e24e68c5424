import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) => describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("the invoice service's refusals in Chinese (I-1, I-2, I-3)", () => {
  it("names the missing fapiao details with the form's labels", () => {
    expect(zh(422, "InvalidInvoice", "A special VAT fapiao needs title, tax_number, bank, bank_account, address_phone; "
      + "missing: bank, address_phone. Give them in the request or in your company profile"))
      .toBe("开票信息不完整，还缺少：开户银行、地址、电话。请在申请中填写，或在公司资料中补充");
  });

  it("explains orders that cannot be invoiced and refused transitions", () => {
    expect(zh(409, "OrderNotInvoiceable", "Order DH20261123-0007 is already on invoice request 3f1c"))
      .toBe("订单 DH20261123-0007 已在另一张开票申请中");
    expect(zh(409, "OrderNotInvoiceable", "Order DH20261123-0007 has not been reviewed yet; it can be invoiced once it is approved"))
      .toBe("订单 DH20261123-0007 尚未审核通过，审核通过后才能开票");
    expect(zh(409, "IllegalTransition", "the invoice is already issued and cannot be issued again"))
      .toBe("该发票已开具，不能重复开票");
    expect(zh(409, "IllegalTransition", "the invoice request is waiting to be issued; only a rejected request can be resubmitted"))
      .toBe("只有被退回的申请才能修改后重新提交");
  });

  it("explains the fapiao split, numbers and dates", () => {
    expect(zh(422, "InvalidInvoice", "The amount 112210.00 is above the limit of 100000.00 per fapiao: issue it as at "
      + "least 2 fapiao (fapiao: [{invoice_number, amount}, …])")).toBe("开票金额 112210.00 超过单张发票限额 100000.00，请分多张开具");
    expect(zh(422, "InvalidInvoice", "fapiao: the amounts add up to 100.00, but the invoice is for 112.00"))
      .toBe("发票：各张发票金额合计 100.00，与开票金额 112.00 不一致");
    expect(zh(409, "Conflict", "Invoice number E2E123 is already used by another invoice"))
      .toBe("发票号码 E2E123 已被其他发票使用");
    expect(zh(422, "InvalidInvoice", "invoice_number: give the fapiao's number (or fapiao: the numbers and amounts of several fapiao)"))
      .toBe("发票号码：必填");
    expect(zh(422, "InvalidInvoice", "sent_at 2026-01-01 is before the invoice_date 2026-01-02")).toBe("寄出时间不能早于开票日期");
  });
});
