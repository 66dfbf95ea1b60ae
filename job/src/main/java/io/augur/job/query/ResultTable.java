package io.augur.job.query;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Prints a query result as an aligned text table (numbers right-aligned), like psql. */
public final class ResultTable {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ResultTable() {}

    /** @param maxWidth longest cell before it is cut with "…"; 0 for no limit */
    public static void print(QueryRunner.Result result, int maxWidth, PrintStream out) {
        List<String> columns = result.columns();
        int n = columns.size();
        List<String[]> cells = new ArrayList<>();
        boolean[] numeric = new boolean[n];
        java.util.Arrays.fill(numeric, true);
        boolean any = false;
        for (List<Object> row : result.rows()) {
            String[] c = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = row.get(i);
                c[i] = cut(format(v), maxWidth);
                if (v != null) {
                    numeric[i] &= v instanceof Number;
                    any = true;
                }
            }
            cells.add(c);
        }
        if (!any) java.util.Arrays.fill(numeric, false);
        int[] width = new int[n];
        for (int i = 0; i < n; i++) width[i] = columns.get(i).length();
        for (String[] c : cells) for (int i = 0; i < n; i++) width[i] = Math.max(width[i], c[i].length());

        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                header.append(" | ");
                rule.append("-+-");
            }
            header.append(pad(columns.get(i), width[i], numeric[i]));
            rule.append("-".repeat(width[i]));
        }
        out.println(header.toString().stripTrailing());
        out.println(rule);
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) line.append(" | ");
                line.append(pad(c[i], width[i], numeric[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(" + cells.size() + (cells.size() == 1 ? " row)" : " rows)"));
    }

    /** How a value is shown: NULL, timestamps to the second (milliseconds only when not zero), everything else as is. */
    public static String format(Object v) {
        if (v == null) return "NULL";
        if (v instanceof LocalDateTime t) return (t.getNano() == 0 ? SECONDS : MILLIS).format(t);
        return String.valueOf(v).replace('\n', ' ');
    }

    private static String cut(String s, int max) {
        return max > 0 && s.length() > max ? s.substring(0, Math.max(1, max - 1)) + "…" : s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
