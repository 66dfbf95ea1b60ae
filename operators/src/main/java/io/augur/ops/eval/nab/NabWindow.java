package io.augur.ops.eval.nab;

import java.time.LocalDateTime;

/**
 * An anomaly window as an inclusive range of row indices ({@code first..last}, 0-based, by position in the file).
 */
public record NabWindow(int first, int last) {
    public NabWindow {
        if (first < 0 || last < first) throw new IllegalArgumentException("bad window rows " + first + ".." + last);
    }

    /** Number of rows in the window. */
    public int width() {
        return last - first + 1;
    }

    public boolean contains(int row) {
        return row >= first && row <= last;
    }

    /**
     * The rows whose timestamp lies within {@code [start, end]}: from the first row stamped at or after
     * {@code start} to the last row stamped at or before {@code end}. Rows are taken by position, so repeated
     * timestamps (NAB's daylight-saving artefacts) are each their own row. {@code timestamps} must be
     * non-decreasing.
     *
     * @throws NabDataException when no row lies in the window
     */
    public static NabWindow fromTimes(LocalDateTime[] timestamps, LocalDateTime start, LocalDateTime end, String file) {
        int first = lowerBound(timestamps, start);          // first index with ts >= start
        int last = upperBound(timestamps, end) - 1;         // last index with ts <= end
        if (first > last || first >= timestamps.length || last < 0) {
            throw new NabDataException(file + ": window [" + start + ", " + end + "] contains no rows");
        }
        return new NabWindow(first, last);
    }

    private static int lowerBound(LocalDateTime[] ts, LocalDateTime key) {
        int lo = 0, hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid].isBefore(key)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int upperBound(LocalDateTime[] ts, LocalDateTime key) {
        int lo = 0, hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (!ts[mid].isAfter(key)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
