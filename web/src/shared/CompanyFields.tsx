import { Col, Form, Input, Row } from "antd";
import { useTranslation } from "react-i18next";
import { COMPANY_CHECKS } from "../lib/validators";
import { AreaPicker } from "./AreaPicker";
import { useRule } from "./hooks";

const REQUIRED = new Set(["name", "contact_person", "mobile", "address", "email"]);
const MAX: Record<string, number> = {
  name: 200, contact_person: 100, mobile: 30, address: 300, email: 254, area: 100, area_code: 10,
  telephone: 40, fax: 40, qq: 12, tax_number: 40, invoice_title: 200, bank: 200,
  bank_account: 64,
};
const BASIC = ["name", "contact_person", "mobile", "email", "address", "area", "area_code", "telephone", "fax", "qq"];
const BILLING = ["tax_number", "invoice_title", "bank", "bank_account"];

/** The company's basic information (C-1) as form fields, checked as the API checks them.
 * Use inside a <Form>; field names are the API's. */
export function CompanyFields({ withBilling = true }: { withBilling?: boolean }) {
  const { t } = useTranslation();
  const rule = useRule();
  const item = (name: string, wide = false) => (
    <Col xs={24} md={wide ? 24 : 12} key={name}>
      <Form.Item
        name={name}
        label={t(`field.${name}`)}
        required={REQUIRED.has(name)}
        rules={[rule(COMPANY_CHECKS[name], { n: MAX[name] })]}
        extra={t(`company.hint.${name}`, { defaultValue: "" }) || undefined}
      >
        {name === "address" ? <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={MAX[name]} />
          : name === "area" ? <AreaPicker maxLength={MAX[name]} />
          : <Input maxLength={MAX[name]} inputMode={["mobile", "qq", "area_code"].includes(name) ? "numeric" : undefined}
              autoComplete={name === "email" ? "email" : name === "mobile" ? "tel" : "off"} />}
      </Form.Item>
    </Col>
  );
  return (
    <>
      <Row gutter={16}>{BASIC.map((n) => item(n, n === "address"))}</Row>
      {withBilling && <Row gutter={16}>{BILLING.map((n) => item(n))}</Row>}
    </>
  );
}
