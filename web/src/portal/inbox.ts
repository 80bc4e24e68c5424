import type { TFunction } from "i18next";

/** Tell the header's unread count that the inbox changed (a message was read). */
export function messagesChanged() {
  window.dispatchEvent(new CustomEvent("dinghuo:messages-changed"));
}

/** A customer message's kind as a label (issue 15): the inbox label, the fapiao label, or a
 * generic "notice" — never the raw key. */
export function inboxKindLabel(t: TFunction, kind: string): string {
  return t(`inbox.kind.${kind}`, { defaultValue: t(`fapiao.inboxKind.${kind}`, { defaultValue: t("inbox.kind.other") }) });
}
