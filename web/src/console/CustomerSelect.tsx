import { Select } from "antd";
import { useEffect, useMemo, useState } from "react";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, unwrapList } from "../api/client";
import { useLoad } from "../shared/hooks";

type Status = "pending_review" | "approved" | "rejected";

type Value = string | string[] | undefined;

interface Props {
  value?: Value;
  onChange?: (value: Value) => void;
  /** Choose several (the value is then a list). */
  multiple?: boolean;
  /** Only customers with this status (e.g. approved for messages). */
  status?: Status;
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
  "data-testid"?: string;
}

const label = (c: { customer_number?: string | null; name: string }) =>
  c.customer_number ? `${c.customer_number} ${c.name}` : c.name;

/** Customers found by name, number, contact or mobile as one types (GET
 *  /api/console/customers, within the staff user's areas); chosen ones keep their names. */
export function CustomerSelect({ value, onChange, multiple, status, placeholder, style, id, ...rest }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [known, setKnown] = useState<Record<string, string>>({});
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(typed.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [typed]);
  const found = useLoad(() => unwrapList(api.GET("/api/console/customers", { params: { query: {
    status, q: q || undefined, limit: 20 } } })), [q, status]);

  const chosen = useMemo(() => (value === undefined ? [] : Array.isArray(value) ? value : [value]), [value]);
  // A customer chosen elsewhere (e.g. a link to its deliveries): its name, once.
  const missing = chosen.filter((v) => !(v in known) && !found.data?.items.some((c) => c.customer_id === v));
  const missingKey = missing.join(",");
  useEffect(() => {
    if (!missingKey || found.loading) return;
    let live = true;
    for (const cid of missingKey.split(",")) {
      unwrap(api.GET("/api/console/customers/{customer_id}", { params: { path: { customer_id: cid } } }))
        .then((c) => { if (live) setKnown((k) => ({ ...k, [cid]: label(c) })); },
          () => { if (live) setKnown((k) => ({ ...k, [cid]: cid })); });
    }
    return () => { live = false; };
  }, [missingKey, found.loading]);

  const options = useMemo(() => {
    const list = (found.data?.items ?? []).map((c) => ({ value: c.customer_id, label: label(c) }));
    const extra = chosen.filter((v) => !list.some((o) => o.value === v))
      .map((v) => ({ value: v, label: known[v] ?? "…" }));
    return [...extra, ...list];
  }, [found.data, chosen, known]);

  const remember = (ids: string[]) => {
    const names: Record<string, string> = {};
    for (const cid of ids) {
      const o = options.find((x) => x.value === cid);
      if (o) names[cid] = o.label;
    }
    setKnown((k) => ({ ...k, ...names }));
  };

  return (
    <Select<Value>
      id={id} data-testid={rest["data-testid"]}
      mode={multiple ? "multiple" : undefined} allowClear showSearch filterOption={false}
      value={value} style={style} placeholder={placeholder ?? t("customerSelect.placeholder")}
      loading={found.loading} options={options}
      notFoundContent={found.loading ? t("customerSelect.searching") : t("customerSelect.none")}
      onSearch={setTyped}
      onChange={(v) => {
        remember(v === undefined ? [] : Array.isArray(v) ? v : [v]);
        setTyped("");
        onChange?.(v);
      }} />
  );
}
