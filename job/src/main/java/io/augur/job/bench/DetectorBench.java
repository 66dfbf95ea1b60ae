package io.augur.job.bench;

import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestMapper;
import io.augur.ops.detect.BaselineDetector;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.ops.eval.nab.NabProfile;
import io.augur.ops.eval.nab.NabResult;
import io.augur.ops.eval.nab.NabScorer;
import io.augur.schema.SeriesBaseline;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): Augur's detector and AWS's ThresholdedRandomCutForest, each kept per series, on the same
 * series (the files of a NAB-layout folder, one series per file, rows in order). Single-threaded, so datapoints/s is
 * per core. State bytes per series: Augur's {@link SeriesBaseline} as Avro binary in its stored form
 * ({@link io.augur.ops.detect.StoredBaseline}: what {@code ScoreDatapoints} writes to RocksDB);
 * RCF's {@code ThresholdedRandomCutForestState} from its own {@link ThresholdedRandomCutForestMapper}, measured with
 * Java serialization (the state classes are {@code Serializable}; no protostuff on the classpath).
 */
public final class DetectorBench {
    /** RCF configuration: the library's defaults (50 trees, sample size 256) with its usual streaming settings. */
    public static final int RCF_TREES = 50, RCF_SAMPLE = 256, RCF_SHINGLE = 8;

    public record Result(String detector, long datapoints, double datapointsPerSecond, double meanStateBytes, int maxStateBytes,
                         Map<String, double[]> scores) {}

    private final NabCorpus corpus;

    public DetectorBench(NabCorpus corpus) {
        this.corpus = corpus;
    }

    private static long[] millis(NabFile f) {
        long[] ts = new long[f.rows()];
        for (int i = 0; i < ts.length; i++) ts[i] = f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli();
        return ts;
    }

    /**
     * Augur's detector over {@code files}, {@code rounds} times (the last round is timed, the earlier ones warm the JIT).
     * With {@code stateRoundTrip}, every datapoint also reads and writes its state as Avro, as the Flink operator does
     * with RocksDB.
     */
    public Result augur(List<NabFile> files, DetectorSettings settings, int rounds, boolean stateRoundTrip) {
        BaselineDetector detector = new BaselineDetector(settings);
        SpecificDatumWriter<SeriesBaseline> writer = new SpecificDatumWriter<>(SeriesBaseline.class);
        SpecificDatumReader<SeriesBaseline> reader = new SpecificDatumReader<>(SeriesBaseline.class);
        Map<String, double[]> scores = new LinkedHashMap<>();
        long points = 0, nanos = 0, totalBytes = 0;
        int maxBytes = 0;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = null;
        BinaryDecoder dec = null;
        try {
            for (int round = 0; round < rounds; round++) {
                boolean timed = round == rounds - 1;
                for (NabFile f : files) {
                    long[] ts = millis(f);
                    double[] v = f.values();
                    double[] out = new double[v.length];
                    SeriesBaseline state = detector.newState();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < v.length; i++) {
                        if (stateRoundTrip) {
                            bytes.reset();
                            enc = EncoderFactory.get().binaryEncoder(bytes, enc);
                            final BinaryEncoder e = enc;
                            io.augur.ops.detect.StoredBaseline.store(state, x -> writer.write(x, e));
                            enc.flush();
                            dec = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), dec);
                            state = io.augur.ops.detect.StoredBaseline.load(reader.read(null, dec));
                        }
                        out[i] = detector.score(state, ts[i], v[i]).anomalyScore();
                    }
                    long t1 = System.nanoTime();
                    if (!timed) continue;
                    nanos += t1 - t0;
                    points += v.length;
                    scores.put(f.name(), out);
                    bytes.reset();
                    enc = EncoderFactory.get().binaryEncoder(bytes, enc);
                    final BinaryEncoder e = enc;
                    io.augur.ops.detect.StoredBaseline.store(state, x -> writer.write(x, e));
                    enc.flush();
                    totalBytes += bytes.size();
                    maxBytes = Math.max(maxBytes, bytes.size());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = stateRoundTrip ? "Augur (Avro state read+write per datapoint)" : "Augur";
        return new Result(name, points, points / (nanos / 1e9), (double) totalBytes / files.size(), maxBytes, scores);
    }

    /** A new ThresholdedRandomCutForest for one series. */
    public static ThresholdedRandomCutForest newForest(long seed) {
        return ThresholdedRandomCutForest.builder()
                .dimensions(RCF_SHINGLE).shingleSize(RCF_SHINGLE).internalShinglingEnabled(true)
                .numberOfTrees(RCF_TREES).sampleSize(RCF_SAMPLE)
                .compact(true).precision(Precision.FLOAT_32).randomSeed(seed)
                .anomalyRate(0.005)
                .build();
    }

    /** ThresholdedRandomCutForest over {@code files}, one forest per series; the score is the anomaly grade in [0,1]. */
    public Result rcf(List<NabFile> files) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        ThresholdedRandomCutForestMapper mapper = new ThresholdedRandomCutForestMapper();
        long points = 0, nanos = 0, totalBytes = 0;
        int maxBytes = 0, k = 0;
        for (NabFile f : files) {
            long[] ts = millis(f);
            double[] v = f.values();
            double[] out = new double[v.length];
            ThresholdedRandomCutForest forest = newForest(42 + k++);
            long t0 = System.nanoTime();
            for (int i = 0; i < v.length; i++) out[i] = forest.process(new double[]{v[i]}, ts[i] / 1000).getAnomalyGrade();
            nanos += System.nanoTime() - t0;
            points += v.length;
            scores.put(f.name(), out);
            int size = javaSerializedSize(mapper.toState(forest));
            totalBytes += size;
            maxBytes = Math.max(maxBytes, size);
        }
        return new Result("ThresholdedRandomCutForest (" + RCF_TREES + " trees, sample " + RCF_SAMPLE + ", shingle " + RCF_SHINGLE + ")",
                points, points / (nanos / 1e9), (double) totalBytes / files.size(), maxBytes, scores);
    }

    static int javaSerializedSize(Object o) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                out.writeObject(o);
            }
            return b.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAB standard score of {@code scores} on {@code files}: at {@code threshold}, and at the optimised threshold. */
    public static NabResult[] standard(List<NabFile> files, Map<String, double[]> scores, double threshold) {
        NabScorer scorer = new NabScorer(files, scores);
        return new NabResult[]{scorer.score(NabProfile.standard(), threshold), scorer.optimizeThreshold(NabProfile.standard())};
    }
}
