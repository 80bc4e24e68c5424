import type { TableColumnType } from "antd";
import type { ReactNode } from "react";
import { EllipsisText } from "./ui";

/** A table column whose cells are cut to one line with the full text in a tooltip (issue
 * 15). Keeps the column's own render (its result goes in the tooltip too); give it a width,
 * or let it share what the fixed-width columns leave. */
export function ellipsisColumn<T>(column: TableColumnType<T>): TableColumnType<T> {
  const render = column.render;
  return {
    ...column,
    ellipsis: { showTitle: false },
    render: (value: unknown, record: T, index: number) => {
      const shown = render ? render(value, record, index) : value;
      return <EllipsisText>{shown as ReactNode}</EllipsisText>;
    },
  };
}

/** The actions column (issue 15): fixed to the table's right edge so the buttons stay in
 * view however long the other cells are; use with `scroll={{ x: ... }}` on the table. */
export function actionsColumn<T>(title: ReactNode, width: number,
    render: (record: T, index: number) => ReactNode): TableColumnType<T> {
  return { title, key: "actions", fixed: "right", width, render: (_: unknown, record: T, index: number) => render(record, index) };
}
