package io.augur.job.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text as {@code augur query} and the notebook test run it: placeholders {@code ${name}} or {@code ${name=default}}
 * (Zeppelin's dynamic-form syntax, so one text serves both; {@code $${name=default}} is Zeppelin's note-wide form and
 * reads the same here), and scripts split into statements at semicolons outside quotes and comments.
 */
public final class SqlScript {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?:=([^}]*))?}");

    private SqlScript() {}

    /** Replaces every placeholder by its value in {@code params}, else its inline default; one with neither is an error that names it. */
    public static String substitute(String sql, Map<String, String> params) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        Set<String> missing = new LinkedHashSet<>();
        while (m.find()) {
            String name = m.group(1);
            String value = params.containsKey(name) ? params.get(name) : m.group(2);
            if (value == null) {
                missing.add(name);
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the query needs a value for " + String.join(", ", missing) + ": pass --param "
                    + missing.iterator().next() + "=VALUE");
        }
        return out.toString();
    }

    /** The placeholders of a text, in order of first use. */
    public static List<String> placeholders(String sql) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(sql);
        while (m.find()) out.add(m.group(1));
        return new ArrayList<>(out);
    }

    /** The statements of a script, without their terminating semicolons; statements that are only comments are dropped. */
    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean code = false;
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                end = end < 0 ? n : end;
                cur.append(script, i, end);
                i = end - 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                cur.append(script, i, end);
                i = end - 1;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n) {
                    if (script.charAt(end) == c) {
                        if (end + 1 < n && script.charAt(end + 1) == c) end += 2; // doubled quote
                        else break;
                    } else {
                        end++;
                    }
                }
                end = Math.min(end + 1, n);
                cur.append(script, i, end);
                code = true;
                i = end - 1;
            } else if (c == ';') {
                if (code) out.add(cur.toString().strip());
                cur.setLength(0);
                code = false;
            } else {
                cur.append(c);
                if (!Character.isWhitespace(c)) code = true;
            }
        }
        if (code) out.add(cur.toString().strip());
        return out;
    }
}
