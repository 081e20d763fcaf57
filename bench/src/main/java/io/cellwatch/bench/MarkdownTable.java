package io.cellwatch.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table built row by row; rendered as printed in docs/benchmarks.md. Not thread-safe. */
final class MarkdownTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(final String... header) {
        this.header = List.of(header);
    }

    MarkdownTable row(final Object... cells) {
        final List<String> row = new ArrayList<>();
        for (final Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    int rows() {
        return rows.size();
    }

    List<String> render() {
        final List<String> out = new ArrayList<>();
        out.add("| " + String.join(" | ", header) + " |");
        out.add("|" + "---|".repeat(header.size()));
        for (final List<String> row : rows) {
            out.add("| " + String.join(" | ", row) + " |");
        }
        return out;
    }
}
