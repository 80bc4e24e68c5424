import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { useLoad } from "../../shared/hooks";

/** Pick `<module>:<action>` permissions (and `<module>:*`), grouped by module. */
export function PermissionSelect({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const catalog = useLoad(() => unwrap(api.GET("/api/console/permissions")), []);
  const options = (catalog.data?.modules ?? []).map((m) => ({
    label: t(`module.${m}`, m),
    title: m,
    options: [...(catalog.data?.actions ?? []), "*"].map((a) => ({
      value: `${m}:${a}`,
      label: `${t(`module.${m}`, m)} · ${a === "*" ? t("action.all") : t(`action.${a}`, a)}`,
    })),
  }));
  return (
    <Select mode="multiple" allowClear value={value} onChange={onChange} loading={catalog.loading}
      options={options} optionFilterProp="label" placeholder={t("staff.permissionsPlaceholder")}
      maxTagCount="responsive" />
  );
}
