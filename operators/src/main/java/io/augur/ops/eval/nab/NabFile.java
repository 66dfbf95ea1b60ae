package io.augur.ops.eval.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One data file of a NAB corpus: its name relative to {@code data/} ({@code "category/file.csv"}), its rows
 * (timestamps and values, by position), its anomaly windows as row ranges, and its probationary length.
 */
public final class NabFile {
    /** NAB's probationary fraction of a file (15%) and its cap in rows (15% of 5000). */
    public static final double PROBATION_FRACTION = 0.15;
    public static final int PROBATION_CAP = 750;

    private final String name;
    private final LocalDateTime[] timestamps;
    private final double[] values;
    private final List<NabWindow> windows;
    private final int probation;

    /**
     * @param timestamps may be null (synthetic files), else one per row and non-decreasing
     * @param windows    row ranges; sorted here; must not overlap and must lie within the file
     */
    public NabFile(String name, LocalDateTime[] timestamps, double[] values, List<NabWindow> windows) {
        if (timestamps != null && timestamps.length != values.length) {
            throw new IllegalArgumentException(name + ": " + timestamps.length + " timestamps but " + values.length + " values");
        }
        this.name = name;
        this.timestamps = timestamps;
        this.values = values;
        List<NabWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingInt(NabWindow::first));
        for (int i = 0; i < sorted.size(); i++) {
            NabWindow w = sorted.get(i);
            if (w.last() >= values.length) {
                throw new NabDataException(name + ": window " + w + " reaches past the last row " + (values.length - 1));
            }
            if (i > 0 && w.first() <= sorted.get(i - 1).last()) {
                throw new NabDataException(name + ": windows " + sorted.get(i - 1) + " and " + w + " overlap");
            }
        }
        this.windows = List.copyOf(sorted);
        this.probation = probationLength(values.length);
    }

    /** A file with {@code rows} rows and no timestamps or values, for scoring synthetic cases. */
    public static NabFile ofRows(String name, int rows, List<NabWindow> windows) {
        return new NabFile(name, null, new double[rows], windows);
    }

    /** NAB's probationary period: the first {@code min(floor(0.15 * n), 750)} rows are not scored. */
    public static int probationLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_FRACTION * rows), PROBATION_CAP);
    }

    public String name() {
        return name;
    }

    /** The part of {@link #name()} before the first slash ("" when there is none). */
    public String category() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    public int rows() {
        return values.length;
    }

    /** Timestamps by row, or null for a synthetic file. The array is not copied; do not modify. */
    public LocalDateTime[] timestamps() {
        return timestamps;
    }

    /** Values by row. The array is not copied; do not modify. */
    public double[] values() {
        return values;
    }

    public List<NabWindow> windows() {
        return windows;
    }

    public int probation() {
        return probation;
    }

    @Override
    public String toString() {
        return name + " (" + rows() + " rows, " + windows.size() + " windows, probation " + probation + ")";
    }
}
