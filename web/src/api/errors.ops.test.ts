import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ApiError } from "./client";
import { describeError } from "./errors";

const t = i18n.getFixedT("zh-CN");
const zh = (status: number, error: string, detail: string) =>
  describeError(new ApiError(status, { error, detail }), t, "zh-CN");

describe("dead letters' refusals in Chinese (B-7)", () => {
  it("says who handled it first", () => {
    expect(zh(409, "AlreadyHandled",
      "This dead letter was already replayed by ops.li at 2026-12-08T09:00:00+00:00; nothing was done"))
      .toBe("这条死信已由 ops.li 重放，本次未做任何操作");
    expect(zh(409, "AlreadyHandled",
      "This dead letter was already discarded by ops.li at 2026-12-08T09:00:00+00:00; nothing was done"))
      .toBe("这条死信已由 ops.li 丢弃，本次未做任何操作");
  });

  it("tells area-bound staff why not", () => {
    expect(zh(403, "AreaBound", "Dead letters and unsent events carry data of customers in every "
      + "area: only staff without an area limit may see or handle them"))
      .toMatch(/^死信和发布失败的事件包含各区域客户的数据/);
  });

  it("asks for a reason to discard", () => {
    expect(zh(422, "Unprocessable", "reason: say why the dead letter is discarded"))
      .toBe("原因：请说明为什么丢弃这条死信");
  });

  it("says the broker did not take it", () => {
    expect(zh(409, "QueueMissing", "The broker did not take the message for queue points.events "
      + "(the queue does not exist or refuses messages); the dead letter stays"))
      .toBe("消息服务器没有接收发往队列 points.events 的消息（队列不存在或拒收），死信保留");
    expect(zh(404, "NotFound", "This unsent event is no longer waiting for an operator: it was "
      + "handed back to the relay or sent meanwhile; reload the list"))
      .toMatch(/^这条事件已不在等待处理/);
  });
});
