import { Descriptions, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { collectionKey, consumablePaymentKey, warrantyState } from "../lib/machines";
import type { MachineWarranty } from "../lib/machines";
import { when } from "../lib/orders";

export type Machine = Schemas["MachineOut"];

const COLORS = { in: "success", expiring: "warning", expired: "default", none: "default" } as const;

/** 在保 / 即将到期（剩 n 天） / 已过保 / 无保修 (S-2). */
export function WarrantyTag({ machine }: { machine: MachineWarranty }) {
  const { t } = useTranslation();
  const state = warrantyState(machine);
  const text = state === "expiring"
    ? t("machines.tag.expiringDays", { n: machine.warranty_days_left ?? 0 })
    : t(`machines.tag.${state}`);
  return <Tag color={COLORS[state]} data-testid="warranty-tag" data-state={state}>{text}</Tag>;
}

/** The tag with the warranty's last day below it (and the days left while covered). */
export function WarrantyCell({ machine, daysLeft = false }: { machine: MachineWarranty; daysLeft?: boolean }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={0}>
      <WarrantyTag machine={machine} />
      {machine.warranty_until && (
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "nowrap" }} data-testid="warranty-until">
          {t("machines.warrantyTo", { date: machine.warranty_until })}
          {daysLeft && machine.in_warranty && machine.warranty_days_left !== null
            && ` · ${t("machines.daysLeft", { n: machine.warranty_days_left })}`}
        </Typography.Text>)}
    </Space>
  );
}

export function CollectionTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = status === "paid" ? "success" : status === "partial" ? "warning" : "default";
  return <Tag color={color}>{t(collectionKey(status), status)}</Tag>;
}

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? "—" : v);

/** Every field of a machine, as staff see it in the console's drawer. */
export function MachineDescriptions({ machine: m }: { machine: Machine }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" bordered column={1} data-testid="machine-details"
      styles={{ label: { width: 130 } }}>
      <Descriptions.Item label={t("machines.customer")}>
        {`${m.customer_number ?? ""} ${m.customer_name ?? m.customer_id}`.trim()}
        {m.area && <Typography.Text type="secondary">（{m.area}）</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t("machines.name")}>{m.name}</Descriptions.Item>
      <Descriptions.Item label={t("machines.model")}>{dash(m.model)}</Descriptions.Item>
      <Descriptions.Item label={t("machines.machineNumber")}>{dash(m.machine_number)}</Descriptions.Item>
      <Descriptions.Item label={t("machines.quantity")}>{m.quantity}</Descriptions.Item>
      <Descriptions.Item label={t("machines.purchaseDate")}>{m.purchase_date}</Descriptions.Item>
      <Descriptions.Item label={t("machines.warrantyMonths")}>
        {m.warranty_months > 0 ? t("machines.monthsValue", { n: m.warranty_months }) : t("machines.tag.none")}
      </Descriptions.Item>
      <Descriptions.Item label={t("machines.warranty")}><WarrantyCell machine={m} daysLeft /></Descriptions.Item>
      <Descriptions.Item label={t("machines.collectionStatus")}><CollectionTag status={m.collection_status} /></Descriptions.Item>
      <Descriptions.Item label={t("machines.consumablePayment")}>
        {m.consumable_payment_method ? t(consumablePaymentKey(m.consumable_payment_method)) : "—"}
      </Descriptions.Item>
      <Descriptions.Item label={t("machines.salesperson")}>{dash(m.salesperson)}</Descriptions.Item>
      <Descriptions.Item label={t("machines.installationEngineer")}>{dash(m.installation_engineer)}</Descriptions.Item>
      <Descriptions.Item label={t("machines.integrity")}>{dash(m.integrity)}</Descriptions.Item>
      <Descriptions.Item label={t("machines.remark")}>
        <span style={{ whiteSpace: "pre-wrap" }}>{dash(m.remark)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("machines.createdBy")}>{`${m.created_by} · ${when(m.created_at)}`}</Descriptions.Item>
      <Descriptions.Item label={t("machines.updatedBy")}>{`${m.updated_by} · ${when(m.updated_at)}`}</Descriptions.Item>
    </Descriptions>
  );
}
