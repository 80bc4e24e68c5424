import { App, Button, Card, InputNumber, Popconfirm, Space, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import type { Schemas } from "../../../api/client";
import { formatYuan, toCents } from "../../../lib/money";
import { useApiError } from "../../../shared/hooks";
import { Money } from "../../../shared/ui";

type Record = Schemas["RecordOut"];

const COLORS: { [status: string]: string } = {
  requested: "processing", redeemed: "green", refused: "red", releasing: "processing",
  released: "default",
};
const POLL_MS = 1500;
const POLLS = 20;

/** The most points a charge takes: its whole yuan (1 point = 1 yuan, P-2). */
function maxPointsFor(charge: string): number {
  return Number(toCents(charge) / 100n);
}

/** 积分抵扣 of a repair charge (P-2, S-3): at the customer's request staff pay part of the
 * charge with its points; the points service answers within moments (the card asks again
 * while it waits); spent points can be given back. */
export function RepairPoints({ record, canEnter, onChanged }: {
  record: Record; canEnter: boolean; onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { report } = useApiError();
  const [points, setPoints] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const most = maxPointsFor(record.charge);
  const status = record.points_status ?? null;
  const waiting = status === "requested" || status === "releasing";
  useAnswer(waiting, onChanged);
  if (record.kind !== "repair" || (most === 0 && !status)) return null;
  const path = { params: { path: { record_id: record.id } } };
  const use = async () => {
    if (!points) return;
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/maintenance-records/{record_id}/points",
        { ...path, body: { points } }));
      void message.success(t("maintenance.points.requested", { points }));
      setPoints(null);
      onChanged();
    } catch (err) { report(err); } finally { setBusy(false); }
  };
  const giveBack = async () => {
    setBusy(true);
    try {
      await unwrap(api.POST("/api/console/maintenance-records/{record_id}/points/release", path));
      onChanged();
    } catch (err) { report(err); } finally { setBusy(false); }
  };
  const open = !waiting && status !== "redeemed";
  return (
    <Card size="small" title={t("maintenance.points.title")} data-testid="repair-points">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space wrap size={[24, 4]}>
          <span>{t("maintenance.points.charge")}：<Money value={record.charge} /></span>
          <span>{t("maintenance.points.used")}：<Typography.Text data-testid="repair-points-used">
            {record.points_used > 0 ? `−${formatYuan(BigInt(record.points_used) * 100n)}` : "—"}</Typography.Text></span>
          <span>{t("maintenance.points.payable")}：<span data-testid="repair-payable"><Money value={record.payable} strong /></span></span>
          {status && <Tag color={COLORS[status]} data-testid="repair-points-status">
            {t(`maintenance.points.status.${status}`)}
            {status === "refused" && record.points_reason
              ? `：${t(`maintenance.points.reasons.${record.points_reason}`, record.points_reason)}` : ""}
          </Tag>}
        </Space>
        {canEnter && open && most > 0 && (
          <Space.Compact>
            <InputNumber<number> min={1} max={most} precision={0} value={points} onChange={setPoints}
              placeholder={t("maintenance.points.placeholder", { most })} style={{ width: 200 }}
              aria-label={t("maintenance.points.label")} />
            <Button type="primary" loading={busy} disabled={!points} onClick={() => void use()}>
              {t("maintenance.points.use")}</Button>
          </Space.Compact>
        )}
        {canEnter && status === "redeemed" && (
          <Popconfirm title={t("maintenance.points.releaseConfirm", { points: record.points_used })}
            onConfirm={() => void giveBack()}>
            <Button loading={busy}>{t("maintenance.points.release")}</Button>
          </Popconfirm>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("maintenance.points.hint")}</Typography.Text>
      </Space>
    </Card>
  );
}

/** While the points service has not answered, ask again now and then. */
function useAnswer(waiting: boolean, reload: () => void) {
  const [polls, setPolls] = useState(0);
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    if (!waiting) { setPolls(0); return; }
    if (polls >= POLLS) return;
    const timer = window.setTimeout(() => { setPolls((n) => n + 1); latest.current(); }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, polls]);
}
