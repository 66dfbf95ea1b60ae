package io.augur.ops.eval.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny reader for NAB-shaped CSV files: a header row, then one row per time step
 * ({@code timestamp,value} for data, {@code timestamp,value,anomaly_score[,...]} for detector output).
 * Columns are looked up by header name. Double-quoted fields are understood; blank lines are skipped.
 */
public final class NabCsv {
    /** {@code 2014-02-14 14:30:00}, optionally with a fraction ({@code .000000}); a {@code T} separator is accepted too. */
    public static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final Path source;
    private final List<String> header;
    private final Map<String, Integer> index;
    private final List<String[]> rows;

    private NabCsv(Path source, List<String> header, List<String[]> rows) {
        this.source = source;
        this.header = Collections.unmodifiableList(header);
        this.index = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) index.putIfAbsent(header.get(i), i);
        this.rows = rows;
    }

    public static NabCsv read(Path file) throws IOException {
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                List<String> fields = split(line);
                if (header == null) {
                    header = fields;
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw new NabDataException(file + " line " + lineNo + ": " + fields.size()
                            + " fields, header has " + header.size());
                }
                rows.add(fields.toArray(new String[0]));
            }
        }
        if (header == null) throw new NabDataException(file + ": empty file, no header row");
        return new NabCsv(file, header, rows);
    }

    public Path source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    public int rowCount() {
        return rows.size();
    }

    public String[] strings(String column) {
        int c = column(column);
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) out[r] = rows.get(r)[c];
        return out;
    }

    /** Numeric column; empty cells and {@code nan} become NaN. Row numbers in errors count data rows from 1. */
    public double[] doubles(String column) {
        int c = column(column);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            String s = rows.get(r)[c];
            if (s.isEmpty() || s.equalsIgnoreCase("nan")) {
                out[r] = Double.NaN;
                continue;
            }
            try {
                out[r] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new NabDataException(source + " data row " + (r + 1) + ": column " + column
                        + " is not a number: '" + s + "'");
            }
        }
        return out;
    }

    public LocalDateTime[] timestamps(String column) {
        int c = column(column);
        LocalDateTime[] out = new LocalDateTime[rows.size()];
        for (int r = 0; r < out.length; r++) {
            String s = rows.get(r)[c];
            try {
                out[r] = parseTimestamp(s);
            } catch (DateTimeParseException e) {
                throw new NabDataException(source + " data row " + (r + 1) + ": column " + column
                        + " is not a timestamp: '" + s + "'");
            }
        }
        return out;
    }

    public static LocalDateTime parseTimestamp(String s) {
        return LocalDateTime.parse(s.trim(), TIMESTAMP);
    }

    private int column(String name) {
        Integer c = index.get(name);
        if (c == null) throw new NabDataException(source + ": no column '" + name + "' (header: " + header + ")");
        return c;
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }
}
