import { Drawer, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../../api/client";
import { isSensitiveLocked } from "../../../lib/analysis";
import type { Period } from "../../../lib/analysis";
import { yuan } from "../../../lib/money";
import { useLoad } from "../../../shared/hooks";
import { ErrorAlert } from "../../../shared/ui";
import { CustomerAmounts } from "./CustomerAmounts";

/** One consumable model per customer in the period (the second request, with `model`). */
export function ModelDrawer({ model, period, onClose, onLocked }:
    { model: string | undefined; period: Period; onClose: () => void; onLocked: () => void }) {
  const { t } = useTranslation();
  const [from, to] = period;
  const loaded = useLoad(() => model
    ? unwrap(api.GET("/api/console/analysis/consumables", { params: { query: { from, to, model } } }))
    : Promise.resolve(undefined), [model, from, to]);
  // the unlock ended (timed out, or another session of the user took it): the page locks
  useEffect(() => { if (isSensitiveLocked(loaded.error)) onLocked(); }, [loaded.error, onLocked]);
  const data = loaded.data?.model === model ? loaded.data : undefined;
  const line = data?.models[0];
  return (
    <Drawer open={model !== undefined} onClose={onClose} width={880} destroyOnHidden
      title={t("analysis.model.title", { model })}>
      <div data-testid="model-drawer">
      <ErrorAlert error={loaded.error} />
      {line && (
        <Typography.Paragraph data-testid="model-summary">
          {t("analysis.model.summary", { name: line.name, quantity: line.quantity, amount: yuan(line.amount) })}
        </Typography.Paragraph>
      )}
      <CustomerAmounts rows={data?.customers} loading={loaded.loading} testId="model-customers"
        empty={t("analysis.model.empty")} amountTitle={t("analysis.model.amount")} shareTitle={t("analysis.model.share")} />
      </div>
    </Drawer>
  );
}
