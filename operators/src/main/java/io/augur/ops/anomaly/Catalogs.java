package io.augur.ops.anomaly;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reading the catalogs kept as data: CSV resources with a header, {@code #} comments, and globs in names. */
final class Catalogs {
    private Catalogs() {}

    /** The data rows of a CSV resource (header and comments skipped), each split into at most {@code columns} cells. */
    static List<String[]> rows(String resource, int columns) {
        try (InputStream in = Catalogs.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("catalog " + resource + " missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> out = new ArrayList<>();
            boolean header = true;
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                if (header) {
                    header = false;
                    continue;
                }
                String[] cells = t.split(",", columns);
                if (cells.length != columns) {
                    throw new IllegalStateException(resource + " line " + lineNo + ": expected " + columns + " columns, got " + cells.length);
                }
                for (int i = 0; i < cells.length; i++) cells[i] = cells[i].strip();
                out.add(cells);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A case-insensitive glob ({@code *} = any characters) as a regular expression. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        int from = 0;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*') {
                re.append(Pattern.quote(glob.substring(from, i))).append(".*");
                from = i + 1;
            }
        }
        re.append(Pattern.quote(glob.substring(from)));
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    static boolean yes(String cell) {
        String v = cell.toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("true");
    }
}
