/**
 * Areas (C-7) as chosen from China's provinces and cities: a customer's area and a staff
 * member's areas are plain strings that the services match exactly (a staff member sees
 * a customer whose area is one of theirs). Chosen from the list they read
 * "广东省/深圳市"; older free-text values ("华东") stay as they are. A staff member
 * responsible for a whole province holds each of its cities, so that exact matching keeps
 * working everywhere.
 */

export const AREA_SEPARATOR = "/";

export interface AreaOption { value: string; label: string; children?: AreaOption[] }

/** The shape of @vant/area-data's `areaList` that is used here (codes → names). */
export interface AreaList {
  province_list: Record<string, string>;
  city_list: Record<string, string>;
}

/** Provinces with their cities, in the data's (GB/T 2260) order. */
export function buildAreaOptions(list: AreaList): AreaOption[] {
  const cities = new Map<string, AreaOption[]>();
  for (const code of Object.keys(list.city_list).sort()) {
    const name = list.city_list[code];
    const province = code.slice(0, 2);
    cities.set(province, [...(cities.get(province) ?? []), { value: name, label: name }]);
  }
  return Object.keys(list.province_list).sort().map((code) => {
    const name = list.province_list[code];
    const children = cities.get(code.slice(0, 2)) ?? [];
    return children.length ? { value: name, label: name, children } : { value: name, label: name };
  });
}

/** "广东省/深圳市" → ["广东省", "深圳市"] when that province and city are in the list;
 *  null for any other value (free text). */
export function areaPath(value: string | null | undefined, options: AreaOption[]): string[] | null {
  if (!value) return null;
  const parts = value.split(AREA_SEPARATOR).map((p) => p.trim());
  if (parts.length !== 2) return null;
  const province = options.find((o) => o.value === parts[0]);
  return province?.children?.some((c) => c.value === parts[1]) ? parts : null;
}

export function joinArea(path: (string | number)[]): string {
  return path.map(String).join(AREA_SEPARATOR);
}

/** An area for a person: "广东省 / 深圳市"; a municipality once ("北京市/北京市" →
 *  "北京市"); free text as it is. */
export function areaLabel(value: string | null | undefined): string {
  if (!value) return "";
  const parts = value.split(AREA_SEPARATOR).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 2 && parts[0] === parts[1]) return parts[0];
  return parts.length > 1 ? parts.join(" / ") : value;
}

/** A staff member's areas for a person: a province whose every city is held reads as
 *  the province with `whole` (e.g. "广东省（全省）"), other areas as `areaLabel`. */
export function summarizeAreas(areas: string[], options: AreaOption[],
    whole: (province: string) => string = (p) => p): string[] {
  const held = new Set(areas);
  const out: string[] = [];
  const done = new Set<string>();
  for (const province of options) {
    const cities = (province.children ?? []).map((c) => joinArea([province.value, c.value]));
    if (cities.length > 1 && cities.every((c) => held.has(c))) {
      out.push(whole(province.value));
      cities.forEach((c) => done.add(c));
    }
  }
  for (const area of areas) if (!done.has(area)) out.push(areaLabel(area));
  return out;
}

/** Split a staff member's areas into the list's (as Cascader paths) and the others. */
export function splitAreas(areas: string[], options: AreaOption[]): { paths: string[][]; other: string[] } {
  const paths: string[][] = [];
  const other: string[] = [];
  for (const area of areas) {
    const path = areaPath(area, options);
    if (path) paths.push(path);
    else other.push(area);
  }
  return { paths, other };
}

/** The areas to save: the chosen cities and the other values, each once, in order. */
export function mergeAreas(paths: (string | number)[][], other: string[]): string[] {
  const out: string[] = [];
  for (const area of [...paths.map(joinArea), ...other.map((o) => o.trim())]) {
    if (area && !out.includes(area)) out.push(area);
  }
  return out;
}

let loading: Promise<AreaOption[]> | undefined;

/** The province/city list, loaded on first use in its own chunk (@vant/area-data). */
export function loadAreaOptions(): Promise<AreaOption[]> {
  loading ??= import("@vant/area-data").then((m) => buildAreaOptions(m.areaList))
    .catch((err: unknown) => { loading = undefined; throw err; });
  return loading;
}
