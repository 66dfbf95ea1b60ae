package io.augur.job.cli;

import io.augur.job.bench.DetectorBench;
import io.augur.job.bench.PipelineBench;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.ops.eval.nab.NabResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (figures, not tests).",
        subcommands = {BenchCommand.Detector.class, BenchCommand.Pipeline.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "detector", mixinStandardHelpOptions = true,
            description = {"Augur's detector and AWS's ThresholdedRandomCutForest, each kept per series, on the same series (the files of a",
                    "NAB-layout folder): datapoints/s per core (single thread), serialized state bytes per series, and NAB standard scores."})
    static final class Detector implements Callable<Integer> {
        @Option(names = "--data", defaultValue = "../shared/nab", description = "A folder in NAB's layout (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--rcf-every", defaultValue = "1",
                description = "Run RCF on every k-th file only (RCF is slow); Augur runs on the same files (default: ${DEFAULT-VALUE} = all).")
        int rcfEvery;

        @Option(names = "--rounds", defaultValue = "3", description = "Augur passes over the data; the last is timed (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            NabCorpus corpus;
            try {
                corpus = NabCorpus.load(data);
            } catch (Exception e) {
                System.err.println("augur bench detector: cannot read " + data + ": " + e.getMessage());
                return 2;
            }
            List<NabFile> files = new ArrayList<>();
            for (int i = 0; i < corpus.files().size(); i += Math.max(1, rcfEvery)) files.add(corpus.files().get(i));
            long rows = files.stream().mapToLong(NabFile::rows).sum();
            int windows = files.stream().mapToInt(f -> f.windows().size()).sum();
            System.out.printf("%d series (%s), %,d datapoints, %d NAB windows; one thread; %s%n", files.size(),
                    files.size() == corpus.files().size() ? "all files" : "every " + rcfEvery + "th file", rows, windows,
                    Runtime.version());
            DetectorSettings settings = DetectorSettings.defaults();
            DetectorBench bench = new DetectorBench(corpus);
            List<DetectorBench.Result> results = new ArrayList<>();
            results.add(bench.augur(files, settings, rounds, false));
            results.add(bench.augur(files, settings, rounds, true));
            results.add(bench.rcf(files));
            System.out.printf("%-58s %14s %16s %15s %22s%n", "detector", "datapoints/s", "state B/series", "(max)", "NAB standard fixed/opt");
            for (DetectorBench.Result r : results) {
                boolean isRcf = r.detector().startsWith("Thresholded");
                // RCF flags a datapoint when its anomaly grade is > 0; Augur at its shipped threshold
                double threshold = isRcf ? Double.MIN_VALUE : settings.threshold();
                NabResult[] nab = windows == 0 ? null : DetectorBench.standard(files, r.scores(), threshold);
                System.out.printf("%-58s %,14.0f %,16.0f %,15d %22s%n", r.detector(), r.datapointsPerSecond(), r.meanStateBytes(),
                        r.maxStateBytes(), nab == null ? "-" : String.format("%.1f / %.1f", nab[0].score(), nab[1].score()));
            }
            double ratio = results.get(0).datapointsPerSecond() / results.get(2).datapointsPerSecond();
            double ratioRt = results.get(1).datapointsPerSecond() / results.get(2).datapointsPerSecond();
            double bytes = results.get(2).meanStateBytes() / results.get(0).meanStateBytes();
            System.out.printf("Augur vs RCF: %.0fx the throughput (%.0fx with the per-datapoint state round trip), 1/%.0f of the state%n", ratio, ratioRt, bytes);
            System.out.println("RCF 'fixed' = a datapoint with anomaly grade > 0; Augur 'fixed' = its shipped threshold "
                    + settings.threshold() + "; 'opt' = the threshold optimised for the standard profile.");
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"The floor pipeline (parse, keyBy series, discard) and Augur's full pipeline (the production topology with RocksDB",
                    "state and the EventBridge sink pointed at a discarding local endpoint) on the same generated Metric Streams JSON,",
                    "at each scale: datapoints/s of both and their ratio, a checkpoint of the full pipeline (bytes per series, duration,",
                    "per task; and the live keyed state in it, read back per operator and state) and p50/p99 latency from ingest to",
                    "scored datapoint at half the full pipeline's rate. Prints a table and",
                    "writes it as JSON. Give the JVM heap for 1M series: AUGUR_JAVA_OPTS=-Xmx6g ./augur bench pipeline"})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--series", split = ",", defaultValue = "10000,100000,1000000", description = "Series counts, multiples of 10 (default: ${DEFAULT-VALUE}).")
        List<Integer> series;

        @Option(names = "--minutes", split = ",", defaultValue = "120,60,10",
                description = "Minutes of data per series at each scale (the detector warms up after 60; default: ${DEFAULT-VALUE}).")
        List<Integer> minutes;

        @Option(names = "--quick", description = "A small run: 2,000 series x 120 minutes, 10 s of latency.")
        boolean quick;

        @Option(names = "--parallelism", defaultValue = "2", description = "Operator parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--state-backend", defaultValue = "rocksdb", description = "rocksdb or hashmap (default: ${DEFAULT-VALUE}).")
        String stateBackend;

        @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of each paced latency run (default: ${DEFAULT-VALUE}).")
        int latencySeconds;

        @Option(names = "--budget-minutes", defaultValue = "14", description = "Skip a scale that would not finish within this much time of the whole run (default: ${DEFAULT-VALUE}).")
        double budgetMinutes;

        @Option(names = "--live-state-max-series", defaultValue = "100000",
                description = "Read the live state back from the checkpoint only up to this many series (about 9 ms per series; default: ${DEFAULT-VALUE}).")
        int liveStateMaxSeries;

        @Option(names = "--out", defaultValue = "bench-pipeline.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = {"-s", "--set"}, description = "Override one configuration key of the full pipeline, e.g. --set detector.recent-baselines=0 (repeatable).")
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

        @Option(names = "--keep-work", hidden = true, description = "Keep the bench's work directory (its checkpoints) and print where it is, e.g. to read the state rows back.")
        boolean keepWork;

        @Override
        public Integer call() throws Exception {
            if (quick) {
                series = List.of(2000);
                minutes = List.of(120);
                latencySeconds = 10;
            }
            if (minutes.size() != series.size()) {
                System.err.println("augur bench pipeline: give one --minutes value per --series value");
                return 2;
            }
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("augur-bench");
            long started = System.nanoTime();
            double loadBefore = os.getSystemLoadAverage();
            System.out.printf("augur bench pipeline: %d cores, heap %,d MB, %s, parallelism %d, %s state; load average %.2f%n",
                    os.getAvailableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Runtime.version(), parallelism, stateBackend, loadBefore);
            PipelineBench bench = new PipelineBench(new PipelineBench.Settings(parallelism, stateBackend, work, 0.6, latencySeconds, overrides, liveStateMaxSeries));
            List<PipelineBench.ScaleResult> results = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            double lastSecondsPerDatapoint = 0;
            for (int i = 0; i < series.size(); i++) {
                int s = series.get(i), m = minutes.get(i);
                double elapsed = (System.nanoTime() - started) / 60e9;
                double estimate = lastSecondsPerDatapoint * s * (double) m / 60 + latencySeconds / 60.0;
                if (lastSecondsPerDatapoint > 0 && elapsed + estimate > budgetMinutes) {
                    String why = String.format("skipped: the estimate (%.1f min at the last scale's rates) would exceed the %.0f-minute budget", estimate, budgetMinutes);
                    System.out.printf("%,d series x %d minutes: %s%n", s, m, why);
                    results.add(new PipelineBench.ScaleResult(s, m, null, null, null, null, null, 0, why));
                    continue;
                }
                System.out.printf("%,d series x %d minutes = %,d datapoints (load average %.2f)%n", s, m, (long) s * m, os.getSystemLoadAverage());
                try {
                    PipelineBench.ScaleResult r = bench.scale(s, m, System.out);
                    results.add(r);
                    lastSecondsPerDatapoint = 1 / r.floor().datapointsPerSecond() + 1 / r.full().datapointsPerSecond();
                } catch (Throwable t) {
                    String why = "failed: " + t;
                    for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof OutOfMemoryError) why = "out of memory: " + c.getMessage();
                    System.out.printf("%,d series: %s%n", s, why);
                    results.add(new PipelineBench.ScaleResult(s, m, null, null, null, null, null, 0, why));
                }
                loads.add(os.getSystemLoadAverage());
            }
            double loadAfter = os.getSystemLoadAverage();
            System.out.println();
            System.out.printf("%-10s %8s %12s %12s %6s %12s %12s %6s %11s %13s %8s %10s %11s %8s %8s %10s %10s %11s%n", "series", "minutes", "floor dp/s", "full dp/s", "ratio",
                    "floor dp/cpu", "full dp/cpu", "ratio", "ckpt B/ser", "checkpoint B", "ckpt ms", "live B/ser", "offered/s", "cold p50", "cold p99", "steady p50", "steady p99", "insight p99");
            for (PipelineBench.ScaleResult r : results) {
                if (r.full() == null) {
                    System.out.printf("%,-10d %8d  %s%n", r.series(), r.minutes(), r.stoppedBecause());
                    continue;
                }
                PipelineBench.Checkpoint cp = r.checkpoint();
                System.out.printf("%,-10d %8d %,12.0f %,12.0f %5.0f%% %,12.0f %,12.0f %5.0f%% %,11.0f %,13d %,8d %,10.0f %,11.0f %8.1f %8.1f %10.1f %10.1f %11.1f%n", r.series(), r.minutes(),
                        r.floor().datapointsPerSecond(), r.full().datapointsPerSecond(), 100 * r.ratio(),
                        r.floor().datapointsPerCpuSecond(), r.full().datapointsPerCpuSecond(), 100 * r.cpuRatio(),
                        cp == null ? Double.NaN : cp.bytesPerSeries(r.series()), cp == null ? -1 : cp.bytes(), cp == null ? -1 : cp.durationMs(),
                        r.live() == null ? Double.NaN : r.live().bytesPerSeries(r.series()), r.latency().offeredPerSecond(), r.latency().p50Ms(), r.latency().p99Ms(),
                        r.steadyLatency() == null ? Double.NaN : r.steadyLatency().p50Ms(), r.steadyLatency() == null ? Double.NaN : r.steadyLatency().p99Ms(),
                        r.insightLatency() == null ? Double.NaN : r.insightLatency().p99Ms());
            }
            for (PipelineBench.ScaleResult r : results) {
                if (r.checkpoint() != null) {
                    System.out.printf("checkpoint (RocksDB native: SST files, overwritten values not yet compacted included) per task at %,d series:%n", r.series());
                    PipelineBench.perTaskLines(r.checkpoint(), r.series()).forEach(System.out::println);
                }
                if (r.live() != null) {
                    System.out.printf("live keyed state in that checkpoint (State Processor API; RocksDB rows before compression: row keys = key-group"
                            + " prefix + key + namespace (+ map key), values incl. TTL timestamps; CEP not decoded) at %,d series:%n", r.series());
                    PipelineBench.liveLines(r.live(), r.series()).forEach(System.out::println);
                }
            }
            System.out.printf("load average: %.2f before, %.2f after (1-minute, %d cores shared with other processes)%n", loadBefore, loadAfter,
                    os.getAvailableProcessors());

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.createObjectNode();
            root.put("command", "augur bench pipeline");
            root.put("date", java.time.Instant.now().toString());
            root.put("cores", os.getAvailableProcessors());
            root.put("heapMb", Runtime.getRuntime().maxMemory() >> 20);
            root.put("java", Runtime.version().toString());
            root.put("parallelism", parallelism);
            root.put("stateBackend", stateBackend);
            root.put("loadAverageBefore", loadBefore);
            root.put("loadAverageAfter", loadAfter);
            root.set("loadAverageAfterEachScale", json.valueToTree(loads));
            root.put("latencyMeasuredAt", "ingest (scheduled emission of the raw record) to the scored datapoint leaving ScoreDatapoints, every 8th datapoint,"
                    + " at half the full pipeline's rate. latency: " + PipelineBench.COLD + ". restoredLatency: " + PipelineBench.RESTORED
                    + ". steadyLatency: " + PipelineBench.STEADY + ".");
            root.put("insightLatencyMeasuredAt", "in the steady-state run, from the ingest (scheduled emission) of the record whose watermark advance"
                    + " released the insight event (the later of the first two datapoints of the first minute >= the event's time + watermark.out-of-orderness + 1 ms)"
                    + " to the event's arrival at the local EventBridge endpoint (the real sink, batching included). Add watermark.out-of-orderness for the time"
                    + " from the insight's newest datapoint in a live stream. Events released only by the end of input are counted, not timed.");
            ArrayNode scales = root.putArray("scales");
            for (PipelineBench.ScaleResult r : results) {
                ObjectNode n = json.valueToTree(r);
                if (r.full() != null) {
                    n.put("fullToFloor", r.ratio());
                    n.put("fullToFloorPerCpuSecond", r.cpuRatio());
                }
                if (r.checkpoint() != null) n.put("checkpointBytesPerSeries", r.checkpoint().bytesPerSeries(r.series()));
                if (r.live() != null) {
                    n.put("liveStateBytesPerSeries", r.live().bytesPerSeries(r.series()));
                    n.put("liveStateKeyBytesPerSeries", r.live().keyBytes() / (double) r.series());
                }
                scales.add(n);
            }
            json.writeValue(out.toFile(), root);
            if (keepWork) System.out.println("work directory kept: " + work);
            else try (var files = java.nio.file.Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); // checkpoints and savepoints
            }
            System.out.println("written: " + out.toAbsolutePath());
            return 0;
        }
    }
}
