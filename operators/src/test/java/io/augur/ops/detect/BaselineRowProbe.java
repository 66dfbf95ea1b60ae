package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Not a test: dumped baseline rows (-Dprobe.baselines=FILE) in format 2 against format 1. */
class BaselineRowProbe {
    @Test
    void probe() throws Exception {
        String f = System.getProperty("probe.baselines");
        if (f == null) return;
        long rows = 0, f2 = 0, f1 = 0, packed2 = 0;
        for (String line : Files.readAllLines(Path.of(f))) {
            byte[] b = Base64.getDecoder().decode(line.split("\\t")[1]);
            SeriesBaseline raw = StoredBaselineTest.fromAvro(b);
            packed2 += raw.getPacked().remaining();
            SeriesBaseline loaded = StoredBaseline.load(StoredBaselineTest.fromAvro(b));
            byte[][] again = new byte[1][];
            StoredBaseline.store(loaded, x -> again[0] = StoredBaselineTest.avro(x));
            SeriesBaseline one = StoredBaselineTest.fromAvro(StoredBaselineTest.avro(loaded));
            one.setPatternCounts(StoredBaseline.sparse(one.getPatternCounts()) == null ? one.getPatternCounts() : StoredBaseline.sparse(one.getPatternCounts()));
            one.setPacked(StoredBaseline.pack(one.getDaily(), one.getDailyPeak()));
            one.setDaily(java.util.List.of());
            one.setDailyPeak(java.nio.ByteBuffer.allocate(0));
            rows++;
            f2 += again[0].length;
            f1 += StoredBaselineTest.avro(one).length;
            if (!java.util.Arrays.equals(again[0], b)) throw new AssertionError("not the same bytes again");
        }
        System.out.printf("baselines %d: format 2 %.1f B (packed %.1f), format 1 %.1f B%n", rows, f2 / (double) rows, packed2 / (double) rows, f1 / (double) rows);
    }
}
