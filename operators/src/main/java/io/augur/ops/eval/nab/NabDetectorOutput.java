package io.augur.ops.eval.nab;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Detector outputs in NAB's results shape: {@code <dir>/<category>/<file>.csv} with a header and at least an
 * {@code anomaly_score} column, one row per data row (usually {@code timestamp,value,anomaly_score}).
 */
public final class NabDetectorOutput {
    public static final String SCORE_COLUMN = "anomaly_score";
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private NabDetectorOutput() {
    }

    /**
     * Reads one score array per corpus file (keyed by the file's relative name, in corpus order).
     *
     * @throws NabDataException if a file is missing, has no {@code anomaly_score} column, has a different number
     *                          of rows than the data file, or has a {@code timestamp} column that disagrees with the
     *                          data file's timestamps
     */
    public static Map<String, double[]> read(Path dir, NabCorpus corpus) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (NabFile f : corpus.files()) {
            Path p = dir.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                throw new NabDataException("detector output for " + f.name() + " is missing: expected " + p);
            }
            NabCsv csv = NabCsv.read(p);
            if (csv.rowCount() != f.rows()) {
                throw new NabDataException(p + ": " + csv.rowCount() + " rows, but the data file " + f.name()
                        + " has " + f.rows() + " (one score per data row is required)");
            }
            double[] scores = csv.doubles(SCORE_COLUMN);
            if (csv.hasColumn("timestamp") && f.timestamps() != null) {
                LocalDateTime[] ts = csv.timestamps("timestamp");
                for (int i = 0; i < ts.length; i++) {
                    if (!ts[i].equals(f.timestamps()[i])) {
                        throw new NabDataException(p + " data row " + (i + 1) + ": timestamp " + ts[i]
                                + " differs from the data file's " + f.timestamps()[i]);
                    }
                }
            }
            out.put(f.name(), scores);
        }
        return out;
    }

    /** Writes {@code timestamp,value,anomaly_score} files for every corpus file, in the shape {@link #read} reads. */
    public static void write(Path dir, NabCorpus corpus, Map<String, double[]> scores) throws IOException {
        for (NabFile f : corpus.files()) {
            double[] s = scores.get(f.name());
            if (s == null) throw new IllegalArgumentException("no scores for " + f.name());
            if (s.length != f.rows()) {
                throw new IllegalArgumentException(f.name() + ": " + s.length + " scores for " + f.rows() + " rows");
            }
            Path p = dir.resolve(f.name());
            Files.createDirectories(p.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
                w.write("timestamp,value," + SCORE_COLUMN + "\n");
                for (int i = 0; i < s.length; i++) {
                    String t = f.timestamps() == null ? "" : OUT.format(f.timestamps()[i]);
                    w.write(t + "," + num(f.values()[i]) + "," + num(s[i]) + "\n");
                }
            }
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v) + ".0";
        return Double.toString(v);
    }
}
