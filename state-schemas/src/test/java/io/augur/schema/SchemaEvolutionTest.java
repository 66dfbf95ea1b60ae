package io.augur.schema;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Savepoint safety of every record Augur keeps in state or sends between operators. */
class SchemaEvolutionTest {

    /** Every Avro record in state-schemas. A new record must be added here (the count check below enforces it). */
    static List<Class<? extends SpecificRecordBase>> records() {
        return List.of(Resource.class, MetricDatapoint.class, ChangeEvent.class, DeadLetter.class, RawRecord.class, SeriesSeen.class,
                SeriesBaseline.class, ScoredDatapoint.class, Anomaly.class, InsightNotification.class,
                CoverageSettings.class, ResourceMembership.class, CoverageItem.class, InsightInput.class, InsightState.class, OpsItemRef.class,
                BurstMatch.class, ExhaustionForecast.class, ForecastHistory.class, SeriesAnomalyState.class, ProactiveAnomalyState.class,
                InsightTableState.class, AnomalyTableState.class, PendingPoint.class, ReactivePoint.class, ReactiveContext.class,
                HeldPoints.class, ReactiveSeries.class);
    }

    @Test
    void everySchemaFileHasARecordInTheListAndAHistory() throws IOException {
        long files;
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of("src/main/avro"))) {
            files = s.filter(p -> p.toString().endsWith(".avsc")).count();
        }
        assertThat(records()).hasSize((int) files);
    }

    @ParameterizedTest
    @MethodSource("records")
    void theCurrentSchemaReadsEveryReleasedVersion(Class<? extends SpecificRecordBase> type) throws Exception {
        Schema current = (Schema) type.getField("SCHEMA$").get(null);
        List<Schema> history = history(type.getSimpleName());
        assertThat(history).as("released versions of %s in src/test/resources/schema-history", type.getSimpleName()).isNotEmpty();
        for (Schema old : history) {
            SchemaCompatibility.SchemaPairCompatibility c = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            assertThat(c.getType())
                    .as("%s: the current schema cannot read data written with %s: %s", type.getSimpleName(), old, c.getDescription())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
        // The newest released version must equal the current schema, or the change is unreleased and needs a new vN.avsc.
        assertThat(SchemaNormalization.toParsingForm(history.get(history.size() - 1)))
                .as("newest released %s equals src/main/avro (add a vN.avsc to schema-history when a schema changes)", type.getSimpleName())
                .isEqualTo(SchemaNormalization.toParsingForm(current));
    }

    @ParameterizedTest
    @MethodSource("records")
    void everyRecordSerializesWithAvroNotKryo(Class<? extends SpecificRecordBase> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(AvroTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);
        TypeSerializer<?> serializer = info.createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(AvroSerializer.class).isNotInstanceOf(KryoSerializer.class);
    }

    @Test
    void aDatapointRoundTripsThroughFlinksSerializer() throws IOException {
        MetricDatapoint m = MetricDatapoint.newBuilder()
                .setSeriesId("s").setAccountId("123456789012").setRegion("us-east-1").setNamespace("AWS/EC2")
                .setMetricName("CPUUtilization").setDimensions(Map.of("InstanceId", "i-1")).setTimestamp(1L)
                .setMin(1).setMax(2).setSum(3).setCount(2).setPercentiles(Map.of("p99", 1.9))
                .setResource(Resource.newBuilder().setType("AWS::EC2::Instance").setName("i-1").setArn("arn").build())
                .build();
        TypeSerializer<MetricDatapoint> s = new AvroTypeInfo<>(MetricDatapoint.class).createSerializer(new ExecutionConfig());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(m, out);
        MetricDatapoint back = s.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(back).isEqualTo(m);
        RawRecord r = RawRecord.newBuilder().setOrigin("o").setPayload(ByteBuffer.wrap(new byte[]{1, 2})).setReceivedAt(5).build();
        assertThat(r.getPayload().remaining()).isEqualTo(2);
    }

    /** Named types a schema uses from other files, in the order they must be parsed. */
    private static final Map<String, List<String>> DEPENDENCIES = Map.ofEntries(
            Map.entry("MetricDatapoint", List.of("Resource")),
            Map.entry("ChangeEvent", List.of("Resource")),
            Map.entry("ScoredDatapoint", List.of("Resource", "MetricDatapoint")),
            Map.entry("Anomaly", List.of("Resource")),
            Map.entry("InsightNotification", List.of("Resource", "Anomaly")),
            Map.entry("CoverageItem", List.of("Resource", "MetricDatapoint", "Anomaly", "ChangeEvent", "ResourceMembership")),
            Map.entry("InsightInput", List.of("Resource", "Anomaly", "ChangeEvent")),
            Map.entry("InsightState", List.of("Resource", "Anomaly", "ChangeEvent")),
            Map.entry("BurstMatch", List.of("Resource", "MetricDatapoint", "ScoredDatapoint")),
            Map.entry("ExhaustionForecast", List.of("Resource", "MetricDatapoint", "Anomaly")),
            Map.entry("ForecastHistory", List.of("Resource", "MetricDatapoint")),
            Map.entry("SeriesAnomalyState", List.of("Resource", "Anomaly", "MetricDatapoint", "ScoredDatapoint")),
            Map.entry("PendingPoint", List.of("Resource", "MetricDatapoint", "ScoredDatapoint")),
            Map.entry("ReactivePoint", List.of("Resource", "MetricDatapoint", "ScoredDatapoint")),
            Map.entry("ProactiveAnomalyState", List.of("Resource", "Anomaly")),
            Map.entry("InsightTableState", List.of("Resource", "Anomaly", "InsightNotification")),
            Map.entry("AnomalyTableState", List.of("Resource", "Anomaly", "InsightNotification")),
            Map.entry("ReactiveSeries", List.of("ReactiveContext")));

    private static int newest(String name) {
        int v = 1;
        while (SchemaEvolutionTest.class.getResource("/schema-history/" + name + "/v" + (v + 1) + ".avsc") != null) v++;
        return v;
    }

    private static List<Schema> history(String name) throws IOException {
        List<Schema> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/schema-history/" + name + "/v" + v + ".avsc")) {
                if (in == null) return out;
                Schema.Parser p = new Schema.Parser();
                // records refer to other records by name: make those known to the parser first
                // (the newest released version of each: a record's history is taken against its dependencies as they are now)
                for (String dep : DEPENDENCIES.getOrDefault(name, List.of())) {
                    try (InputStream d = SchemaEvolutionTest.class.getResourceAsStream("/schema-history/" + dep + "/v" + newest(dep) + ".avsc")) {
                        p.parse(d);
                    }
                }
                out.add(p.parse(in));
            }
        }
    }
}
