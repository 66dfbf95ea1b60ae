package io.augur.ops.anomaly;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maintenance windows from configuration ({@code anomaly.maintenance-windows}): no anomaly opens on a covered
 * resource during one (anomalies already open go on). Entries are separated by {@code ;}, each
 * {@code <when>[ on <resource ARN glob>]}, where {@code <when>} is an interval of instants
 * ({@code 2025-03-04T02:00:00Z/2025-03-04T04:00:00Z}) or a weekly window in UTC ({@code SUN 02:00-04:00},
 * {@code MON-FRI 23:30-00:30}, {@code DAILY 03:00-03:15}; a window ending before it starts ends the next day).
 * Without {@code on}, a window covers every resource.
 */
public final class MaintenanceWindows implements Serializable {
    private record Window(long from, long to, Set<DayOfWeek> days, int fromMinute, int toMinute, String scope) implements Serializable {}

    private final List<Window> windows;
    private transient List<Pattern> scopes;

    private MaintenanceWindows(List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    public static MaintenanceWindows none() {
        return new MaintenanceWindows(List.of());
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    public static MaintenanceWindows parse(String spec) {
        List<Window> out = new ArrayList<>();
        if (spec == null) return new MaintenanceWindows(out);
        for (String raw : spec.split("[;\\n]")) {
            String e = raw.strip();
            if (e.isEmpty()) continue;
            String scope = "*";
            int on = e.indexOf(" on ");
            if (on >= 0) {
                scope = e.substring(on + 4).strip();
                e = e.substring(0, on).strip();
            }
            try {
                out.add(e.contains("/") ? interval(e, scope) : weekly(e, scope));
            } catch (RuntimeException x) {
                throw new IllegalArgumentException("maintenance window '" + raw.strip() + "' is not '<from>/<to>' (ISO-8601 instants) or "
                        + "'<DAYS> HH:MM-HH:MM' (DAYS: DAILY, MON, MON-FRI, SAT,SUN; UTC), optionally followed by ' on <resource ARN glob>'");
            }
        }
        return new MaintenanceWindows(out);
    }

    private static Window interval(String e, String scope) {
        String[] p = e.split("/", 2);
        long from = Instant.parse(p[0].strip()).toEpochMilli(), to = Instant.parse(p[1].strip()).toEpochMilli();
        if (to <= from) throw new DateTimeParseException("empty interval", e, 0);
        return new Window(from, to, null, 0, 0, scope);
    }

    private static Window weekly(String e, String scope) {
        String[] p = e.split("\\s+");
        if (p.length != 2) throw new IllegalArgumentException(e);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : p[0].toUpperCase(Locale.ROOT).split(",")) {
            if (d.equals("DAILY")) {
                days.addAll(EnumSet.allOf(DayOfWeek.class));
            } else if (d.contains("-")) {
                DayOfWeek a = day(d.substring(0, d.indexOf('-'))), b = day(d.substring(d.indexOf('-') + 1));
                for (DayOfWeek x = a; ; x = x.plus(1)) {
                    days.add(x);
                    if (x == b) break;
                }
            } else {
                days.add(day(d));
            }
        }
        String[] t = p[1].split("-");
        if (t.length != 2) throw new IllegalArgumentException(e);
        return new Window(0, 0, days, minute(t[0]), minute(t[1]), scope);
    }

    private static DayOfWeek day(String d) {
        for (DayOfWeek x : DayOfWeek.values()) if (x.name().startsWith(d) && d.length() >= 3) return x;
        throw new IllegalArgumentException(d);
    }

    private static int minute(String hhmm) {
        String[] p = hhmm.split(":");
        int h = Integer.parseInt(p[0]), m = Integer.parseInt(p[1]);
        if (h < 0 || h > 24 || m < 0 || m > 59) throw new IllegalArgumentException(hhmm);
        return h * 60 + m;
    }

    /** Whether a maintenance window covers the resource at the time. */
    public boolean covers(String resourceArn, long time) {
        if (windows.isEmpty()) return false;
        if (scopes == null) {
            List<Pattern> s = new ArrayList<>();
            for (Window w : windows) s.add(Catalogs.glob(w.scope));
            scopes = s;
        }
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (!scopes.get(i).matcher(resourceArn).matches()) continue;
            if (w.days == null) {
                if (time >= w.from && time < w.to) return true;
                continue;
            }
            ZonedDateTime t = Instant.ofEpochMilli(time).atZone(ZoneOffset.UTC);
            int minute = t.getHour() * 60 + t.getMinute();
            if (w.fromMinute < w.toMinute) {
                if (w.days.contains(t.getDayOfWeek()) && minute >= w.fromMinute && minute < w.toMinute) return true;
            } else {
                // wraps past midnight: the part after midnight belongs to the previous day's window
                if (w.days.contains(t.getDayOfWeek()) && minute >= w.fromMinute) return true;
                if (w.days.contains(t.getDayOfWeek().minus(1)) && minute < w.toMinute) return true;
            }
        }
        return false;
    }
}
