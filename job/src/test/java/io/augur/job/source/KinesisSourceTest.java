package io.augur.job.source;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.testing.CollectingSink;
import io.augur.job.testing.KinesisLocal;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import io.augur.job.topology.AugurTopology;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Flink Kinesis connector reading records put into kinesis-local streams with the real AWS SDK. */
class KinesisSourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static KinesisLocal kinesis;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start();
    }

    @AfterAll
    static void stopKinesis() throws Exception {
        if (kinesis != null) kinesis.close();
    }

    @Test
    void everyRecordPutIntoTheStreamsIsReadNormalizedOrDeadLettered() throws Exception {
        String metricsArn = kinesis.createStream("augur-metrics", 2);
        kinesis.createStream("augur-events", 1);
        Path samples = Replay.extractSamples();
        List<byte[]> metricRecords = records(samples.resolve("metrics.ndjson"));
        List<byte[]> eventRecords = records(samples.resolve("events.ndjson"));
        kinesis.put("augur-metrics", metricRecords);
        kinesis.put("augur-events", eventRecords);

        // What the parser alone makes of the same records: the job must deliver exactly this, once each.
        ParseResult expected = new ParseResult();
        RecordParser parser = new RecordParser();
        for (byte[] r : metricRecords) parser.parse(r, expected);
        for (byte[] r : eventRecords) parser.parse(r, expected);
        Set<String> expectedPoints = expected.metrics.stream().map(m -> m.getSeriesId() + "@" + m.getTimestamp()).collect(Collectors.toSet());

        AugurConfig cfg = AugurConfig.defaults().with(Map.of(
                "kinesis.endpoint", kinesis.endpoint(),
                "kinesis.region", KinesisLocal.REGION,
                "kinesis.account", KinesisLocal.ACCOUNT,
                "kinesis.metrics.stream", metricsArn,        // by ARN
                "kinesis.events.stream", "augur-events",     // by name
                "kinesis.initial-position", "TRIM_HORIZON",
                "kinesis.credentials.provider", "BASIC",
                "kinesis.credentials.access-key-id", "test",
                "kinesis.credentials.secret-key", "test",
                "checkpoint.interval", "0"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AugurJob.configure(env, cfg, false);
        env.setParallelism(2);
        AugurTopology.Streams s = AugurTopology.build(env, cfg);
        s.metrics().sinkTo(new CollectingSink<>("k-metrics")).uid("test-metrics");
        s.events().sinkTo(new CollectingSink<>("k-events")).uid("test-events");
        s.deadLetters().sinkTo(new CollectingSink<>("k-dead")).uid("test-dead");

        JobClient job = env.executeAsync("kinesis-test");
        long records = 0;
        long deadline = System.nanoTime() + KinesisLocal.timeout().toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Object r = job.getAccumulators().get().get("augur.records");
                records = r == null ? 0 : ((Number) r).longValue();
                if (records >= metricRecords.size() + eventRecords.size()
                        && CollectingSink.results("k-metrics").size() >= expectedPoints.size()) break;
                Thread.sleep(500);
            }
            Thread.sleep(1000); // anything extra (a duplicate delivered twice) would show now
        } finally {
            job.cancel().get();
        }

        assertThat(records).as("Kinesis records read").isEqualTo(metricRecords.size() + eventRecords.size());
        List<MetricDatapoint> metrics = CollectingSink.results("k-metrics");
        List<ChangeEvent> events = CollectingSink.results("k-events");
        List<DeadLetter> dead = CollectingSink.results("k-dead");
        assertThat(metrics.stream().map(m -> m.getSeriesId() + "@" + m.getTimestamp()).collect(Collectors.toList()))
                .hasSize(expectedPoints.size()).containsExactlyInAnyOrderElementsOf(expectedPoints);
        assertThat(events.stream().map(ChangeEvent::getId).distinct().count()).isEqualTo(events.size());
        assertThat(dead).extracting(DeadLetter::getOrigin).containsAnyOf("augur-metrics", "dedup");
        // accepted + dead-lettered + ignored = read
        assertThat(metrics.size() + events.size() + dead.size() + expected.ignoredCount()).isEqualTo(expected.read());
    }

    /** Replay-file lines as the Kinesis records they stand for. */
    static List<byte[]> records(Path file) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(ReplaySources.recordBytes(line));
        }
        return out;
    }
}
