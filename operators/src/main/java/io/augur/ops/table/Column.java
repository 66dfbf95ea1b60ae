package io.augur.ops.table;

/** One column of an insight table. */
public record Column(String name, ColumnType type, String doc) {
}
