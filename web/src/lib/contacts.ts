/** A QQ number as a link that starts a chat in the QQ client (N-4). */
export function qqLink(qq: string): string {
  return `tencent://message/?uin=${encodeURIComponent(qq.trim())}`;
}
