package io.augur.job.eval;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Augur's detector over every file of a NAB-layout folder through Flink, with the very operator the job uses
 * ({@link ScoreDatapoints}): each file is one series, its rows go in order, and every row gets exactly one score.
 */
public final class NabEvaluation {
    public static final String NAB_NAMESPACE = "NAB";
    private final NabCorpus corpus;
    private final int parallelism;

    public NabEvaluation(NabCorpus corpus, int parallelism) {
        this.corpus = corpus;
        this.parallelism = parallelism;
    }

    /** Scores by file name ("category/file.csv"), one per row. */
    public Map<String, double[]> run(DetectorSettings settings) throws Exception {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of(AugurConfig.CHECKPOINT_INTERVAL.name(), "0"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, AugurJob.flinkConfiguration(cfg, false));
        AugurJob.configure(env, cfg, false);
        List<NabFile> files = corpus.files();
        Map<String, double[]> scores = new HashMap<>();
        for (NabFile f : files) {
            double[] a = new double[f.rows()];
            java.util.Arrays.fill(a, Double.NaN);
            scores.put(f.name(), a);
        }
        long received = 0;

        try (CloseableIterator<ScoredDatapoint> it = env.fromSequence(0, files.size() - 1).uid("nab-files").name("NAB files")
                .flatMap(new NabRows(corpus.dir().toString(), files.stream().map(NabFile::name).collect(java.util.stream.Collectors.toList()))).returns(new AvroTypeInfo<>(MetricDatapoint.class))
                .uid("nab-rows").name("NAB rows")
                .keyBy(ScoreDatapoints.seriesStatKey())
                .process(new ScoreDatapoints(settings, Duration.ofDays(3650)))
                .uid("score-datapoints").name("Score datapoints")
                .executeAndCollect("augur-eval-nab")) {
            while (it.hasNext()) {
                ScoredDatapoint s = it.next();
                Map<String, String> dims = s.getDatapoint().getDimensions();
                scores.get(dims.get("File"))[Integer.parseInt(dims.get("Row"))] = s.getWarm() ? s.getScore() : 0.0;
                received++;
            }
        }
        // NAB needs exactly one score per row: anything missing is a failure, never a silent zero.
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                if (Double.isNaN(e.getValue()[i])) {
                    throw new IllegalStateException("no score for row " + i + " of " + e.getKey() + " (" + received + " of " + corpus.rowCount() + " rows scored)");
                }
            }
        }
        return scores;
    }

    /** Emits the rows of the k-th of the given NAB files, in order, as metric datapoints of one series. */
    static final class NabRows extends RichFlatMapFunction<Long, MetricDatapoint> {
        private final String dir;
        private final java.util.ArrayList<String> names;
        private transient NabCorpus corpus;

        NabRows(String dir, List<String> names) {
            this.dir = dir;
            this.names = new java.util.ArrayList<>(names);
        }

        @Override
        public void open(Configuration parameters) throws Exception {
            corpus = NabCorpus.load(Path.of(dir));
        }

        @Override
        public void flatMap(Long k, Collector<MetricDatapoint> out) {
            NabFile f = corpus.file(names.get(k.intValue()));
            Resource r = Resource.newBuilder().setType("AWS::CloudWatch::Generic").setName(f.name()).setArn("arn:augur:nab:" + f.name()).build();
            for (int i = 0; i < f.rows(); i++) {
                double v = f.values()[i];
                out.collect(MetricDatapoint.newBuilder()
                        .setSeriesId(f.name()).setAccountId("000000000000").setRegion("nab")
                        .setNamespace(NAB_NAMESPACE).setMetricName(f.category())
                        .setDimensions(Map.of("File", f.name(), "Row", String.valueOf(i)))
                        .setTimestamp(f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli())
                        .setMin(v).setMax(v).setSum(v).setCount(1).setUnit("None").setResource(r)
                        .build());
            }
        }
    }
}
