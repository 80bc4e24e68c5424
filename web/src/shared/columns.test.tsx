import { fireEvent, render, screen } from "@testing-library/react";
import { Button, Table } from "antd";
import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { actionsColumn, ellipsisColumn } from "./columns";
import { Providers } from "./Providers";
import { promptTitle } from "../console/promptTargets";
import { inboxKindLabel } from "../portal/inbox";

type Row = { id: string; name: string; note: string | null };
const LONG = "很长的角色名称".repeat(30);

function Example() {
  return (
    <Table<Row> rowKey="id" pagination={false} scroll={{ x: 800 }}
      dataSource={[{ id: "1", name: LONG, note: null }]}
      columns={[
        ellipsisColumn<Row>({ title: "名称", dataIndex: "name", width: 200 }),
        ellipsisColumn<Row>({ title: "备注", dataIndex: "note", width: 200 }),
        actionsColumn<Row>("操作", 100, (r) => <Button size="small">编辑 {r.id}</Button>),
      ]} />
  );
}

describe("tables truncate with a tooltip and keep their actions (issue 15)", () => {
  it("cuts a long cell to one line and shows the whole text in a tooltip on hover", async () => {
    const { container } = render(<Providers><Example /></Providers>);
    const cell = container.querySelector("td.ant-table-cell-ellipsis");
    expect(cell).not.toBeNull();
    expect(cell).not.toHaveAttribute("title");
    const text = container.querySelector(".ellipsis-text") as HTMLElement;
    expect(text).toHaveTextContent(LONG);
    expect(text.style.textOverflow).toBe("ellipsis");
    expect(text.style.whiteSpace).toBe("nowrap");
    fireEvent.mouseEnter(text);
    expect(await screen.findByRole("tooltip")).toHaveTextContent(LONG);
  });

  it("shows a dash for an empty cell", () => {
    const { container } = render(<Providers><Example /></Providers>);
    expect(container.querySelectorAll("tbody td")[1]).toHaveTextContent("—");
  });

  it("fixes the actions column to the right edge", () => {
    const { container } = render(<Providers><Example /></Providers>);
    const actions = screen.getByRole("button", { name: "编辑 1" }).closest("td");
    expect(actions?.className).toContain("ant-table-cell-fix-right");
    expect(container.querySelector("th.ant-table-cell-fix-right")).toHaveTextContent("操作");
  });
});

describe("prompt and inbox titles are labels, never raw keys (issue 15)", () => {
  const zh = i18n.getFixedT("zh-CN");
  const en = i18n.getFixedT("en-US");
  it("labels every known kind and names an unknown one generically", () => {
    expect(promptTitle(zh, "return_requested")).toBe("退货申请");
    expect(promptTitle(en, "order_received")).toBe("Receipt confirmed");
    expect(promptTitle(zh, "some_future_kind")).toBe("新提醒");
    expect(promptTitle(en, "some_future_kind")).not.toContain("some_future_kind");
    expect(inboxKindLabel(zh, "order_shipped")).toBe("已发货");
    expect(inboxKindLabel(en, "some_future_kind")).toBe("Notice");
  });
});
