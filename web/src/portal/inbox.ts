/** Tell the header's unread count that the inbox changed (a message was read). */
export function messagesChanged() {
  window.dispatchEvent(new CustomEvent("dinghuo:messages-changed"));
}
