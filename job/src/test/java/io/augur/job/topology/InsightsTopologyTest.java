package io.augur.job.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.sink.Outputs;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.Severity;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insight stage in the whole job on a MiniCluster: the built-in sample replayed, with an anomalies stream standing
 * in for the CEP patterns' (a Lambda function's errors after the sample's UpdateFunctionConfiguration), written to
 * insights.ndjson.
 */
class InsightsTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "123456789012";

    @Test
    void replayWritesTheInsightsOfTheAnomaliesWithTheSamplesChangeEvents(@TempDir Path out) throws Exception {
        Path samples = Replay.extractSamples();
        AugurConfig cfg = AugurConfig.defaults().with(Map.of("source.type", "files", "checkpoint.interval", "0", "state.backend", "hashmap",
                "replay.metrics", samples.resolve("metrics.ndjson").toString(), "replay.events", samples.resolve("events.ndjson").toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, AugurJob.flinkConfiguration(cfg, false));
        AugurJob.configure(env, cfg, false);
        long start = Instant.parse("2025-01-01T11:34:00Z").toEpochMilli();
        Anomaly open = errors(start, 0, start + 120_000, AnomalyStatus.ONGOING);
        Anomaly closed = errors(start, 1, start + 16 * 60_000, AnomalyStatus.CLOSED);
        AugurJob.buildJob(env, cfg, Outputs.localFiles(out), s -> env.fromData(new AvroTypeInfo<>(Anomaly.class), open, closed)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Anomaly>forMonotonousTimestamps().withTimestampAssigner((a, t) -> a.getUpdateTime()))
                .setParallelism(1).uid("test-anomalies")); // revisions of one anomaly in order, as from the CEP operator
        env.execute("insights-test");

        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("insights.ndjson"))) lines.add(JSON.readTree(l));
        assertThat(lines).isNotEmpty();
        JsonNode first = lines.get(0);
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(first.get("messageType").asText()).isEqualTo("NEW_INSIGHT");
        assertThat(first.get("application").asText()).as("no stack or tag known: the account").isEqualTo(ACCOUNT);
        assertThat(first.get("body").get("anomalies").get(0).get("associatedResourceArns").get(0).asText())
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:checkout-api");
        assertThat(last.get("messageType").asText()).isEqualTo("CLOSED_INSIGHT");
        assertThat(last.get("time").asLong()).isEqualTo(start + 26 * 60_000);
        assertThat(last.get("body").get("resourceCollection").toString()).isEqualTo("{\"cloudFormation\":{\"stackNames\":[\"*\"]}}");
        // the sample's UpdateFunctionConfiguration (11:33, memory 128 MB, timeout 3 s) is related and named as the cause
        assertThat(last.get("body").get("relatedEvents")).extracting(e -> e.get("id").asText())
                .contains("00000000-0000-4000-8000-000000000093");
        assertThat(last.get("body").get("insightDescription").asText()).contains("UpdateFunctionConfiguration20150331v2 on Lambda function checkout-api");
        List<String> recommendations = new ArrayList<>();
        for (JsonNode l : lines) for (JsonNode r : l.get("body").path("recommendations")) recommendations.add(r.get("name").asText());
        assertThat(recommendations).contains("Restore the Lambda function's memory and timeout", "Investigate the Lambda function's errors");
        assertThat(lines).extracting(l -> l.get("id").asText()).doesNotHaveDuplicates();
        assertThat(lines).extracting(l -> l.get("insightId").asText()).containsOnly(first.get("insightId").asText());
    }

    private static Anomaly errors(long start, int revision, long update, AnomalyStatus status) {
        boolean closed = status == AnomalyStatus.CLOSED;
        return Anomaly.newBuilder().setId("anomaly-checkout-api-errors").setKind(AnomalyKind.REACTIVE).setSeverity(Severity.HIGH)
                .setStatus(status).setRevision(revision).setStartTime(start).setEndTime(closed ? update - 60_000 : null)
                .setOpenTime(start + 120_000).setCloseTime(closed ? update : null).setUpdateTime(update).setAccountId(ACCOUNT)
                .setRegion("us-east-1").setSeriesKey("s|Sum").setNamespace("AWS/Lambda").setMetricName("Errors")
                .setDimensions(Map.of("FunctionName", "checkout-api")).setStat("Sum").setUnit("Count").setPeriod(60)
                .setResource(ResourceIdentities.lambdaFunction(ACCOUNT, "us-east-1", "checkout-api")).setDirection(1).setPeakScore(0.99)
                .setDatapoints(List.of()).setLimit(null).setPredictionStart(null).setPredictionEnd(null)
                .setName("Errors rose on AWS::Lambda::Function checkout-api").setDescription("").build();
    }
}
