import { api, unwrap } from "../../../api/client";
import type { CategoryKind } from "../../../lib/maintenance";
import { useLoad } from "../../../shared/hooks";

export const machineText = (r: { machine_name: string | null; machine_model: string | null; machine_number: string | null }) =>
  [r.machine_name, r.machine_model, r.machine_number].filter(Boolean).join(" ");

/** The categories of one kind (or both), and `reload()` after adding one. */
export function useCategories(kind?: CategoryKind) {
  return useLoad(() => unwrap(api.GET("/api/console/maintenance/categories", { params: { query: { kind } } })), [kind]);
}
