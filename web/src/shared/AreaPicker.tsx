import { Button, Cascader, Input, Select, Space, Tooltip } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { areaLabel, areaPath, joinArea, loadAreaOptions, mergeAreas, splitAreas, summarizeAreas } from "../lib/areas";
import type { AreaOption } from "../lib/areas";

function useAreaOptions(): AreaOption[] | undefined {
  const [options, setOptions] = useState<AreaOption[]>();
  useEffect(() => {
    let live = true;
    // without the list (it failed to load) the picker stays a text field
    loadAreaOptions().then((o) => { if (live) setOptions(o); }, () => { if (live) setOptions([]); });
    return () => { live = false; };
  }, []);
  return options;
}

const filter = (input: string, path: AreaOption[]) =>
  path.some((o) => o.label.toLowerCase().includes(input.trim().toLowerCase()));

/** A customer's area (C-7): province and city from the list, stored as "广东省/深圳市";
 *  an area that is not in the list (older free text such as "华东") stays editable as
 *  text. Use as a Form.Item's only child. */
export function AreaPicker({ value, onChange, id, maxLength = 100 }: {
  value?: string | null; onChange?: (value: string | null) => void; id?: string; maxLength?: number;
}) {
  const { t } = useTranslation();
  const options = useAreaOptions();
  const [typed, setTyped] = useState<boolean>();
  const path = options ? areaPath(value, options) : null;
  // typing: chosen by the person, else when the value is not from the list
  const free = typed ?? (options !== undefined && (options.length === 0 || (!!value && !path)));
  return (
    <Space.Compact style={{ width: "100%" }}>
      {free ? (
        <Input id={id} value={value ?? ""} maxLength={maxLength} placeholder={t("area.freePlaceholder")}
          onChange={(e) => onChange?.(e.target.value)} data-testid="area-text" />
      ) : (
        <Cascader id={id} style={{ width: "100%" }} options={options} loading={!options}
          value={path ?? (value ? value.split("/") : undefined)} placeholder={t("area.placeholder")}
          showSearch={{ filter }} allowClear data-testid="area-cascader"
          displayRender={(labels: string[]) => areaLabel(labels.join("/"))}
          onChange={(p) => onChange?.(p && p.length ? joinArea(p as string[]) : null)} />
      )}
      {options && options.length > 0 && (
        <Tooltip title={free ? t("area.useList") : t("area.typeIt")}>
          <Button onClick={() => setTyped(!free)}>{free ? t("area.list") : t("area.type")}</Button>
        </Tooltip>
      )}
    </Space.Compact>
  );
}

/** A staff member's areas (C-7): cities from the list (a whole province checks each of
 *  its cities) and, for areas not in the list, free names. Empty = all areas. */
export function AreaMultiPicker({ value, onChange, id }: {
  value?: string[]; onChange?: (value: string[]) => void; id?: string;
}) {
  const { t } = useTranslation();
  const options = useAreaOptions();
  const areas = value ?? [];
  const { paths, other } = options ? splitAreas(areas, options) : { paths: [], other: areas };
  return (
    <Space direction="vertical" style={{ width: "100%" }} size={8}>
      <Cascader id={id} multiple style={{ width: "100%" }} options={options} loading={!options}
        value={paths} placeholder={t("area.multiPlaceholder")} maxTagCount="responsive"
        showCheckedStrategy={Cascader.SHOW_CHILD} showSearch={{ filter }}
        data-testid="areas-cascader"
        onChange={(p) => onChange?.(mergeAreas((p ?? []) as string[][], other))} />
      <Select mode="tags" style={{ width: "100%" }} value={other} open={false} tokenSeparators={[",", "，"]}
        placeholder={t("area.otherPlaceholder")} data-testid="areas-other"
        onChange={(o: string[]) => onChange?.(mergeAreas(paths, o))} />
    </Space>
  );
}

/** Areas for reading: whole provinces summed up, the rest as labels. */
export function AreaList({ areas }: { areas: string[] }) {
  const { t } = useTranslation();
  const options = useAreaOptions();
  return <>{summarizeAreas(areas, options ?? [], (p) => t("area.wholeProvince", { name: p })).join("、")}</>;
}
