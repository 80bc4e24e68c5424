import type { TFunction } from "i18next";

/**
 * Staff permissions as the API checks them (X-1): `*` grants everything, `module:*` every
 * action of a module, else the exact `module:action`.
 */

export function has(granted: readonly string[] | undefined, permission: string): boolean {
  if (!granted) return false;
  const module = permission.split(":", 1)[0];
  return granted.includes("*") || granted.includes(`${module}:*`) || granted.includes(permission);
}

/** True when any of `permissions` is granted (an empty list needs none). */
export function hasAny(granted: readonly string[] | undefined,
                       permissions: readonly string[]): boolean {
  return permissions.length === 0 || permissions.some((p) => has(granted, p));
}

export interface MenuEntry {
  key: string;
  /** Any of these permissions shows the entry; none = every staff user. */
  anyOf: readonly string[];
  children?: readonly MenuEntry[];
}

/** The entries (and children) the user may see; a group without visible children goes. */
export function visibleMenu<T extends MenuEntry>(entries: readonly T[],
                                                 granted: readonly string[]): T[] {
  const out: T[] = [];
  for (const entry of entries) {
    if (entry.children) {
      const children = visibleMenu(entry.children, granted);
      if (children.length > 0) out.push({ ...entry, children });
    } else if (hasAny(granted, entry.anyOf)) {
      out.push(entry);
    }
  }
  return out;
}

/** `customers:query` → 客户·查询 */
export function permissionLabel(p: string, t: TFunction): string {
  if (p === "*") return t("action.everything");
  const [m, a] = p.split(":");
  return `${t(`module.${m}`, m)}·${a === "*" ? t("action.all") : t(`action.${a}`, a)}`;
}
