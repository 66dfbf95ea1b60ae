package io.augur.ops.anomaly;

import io.augur.schema.ForecastHistory;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StoredForecastHistoryTest {
    private static final long T0 = 1_700_000_000_000L;

    private static MetricDatapoint datapoint(Random r, long ts, String function) {
        return MetricDatapoint.newBuilder().setSeriesId("123456789012|us-east-1|AWS/Lambda|ConcurrentExecutions|FunctionName=" + function)
                .setAccountId("123456789012").setRegion("us-east-1").setNamespace("AWS/Lambda").setMetricName("ConcurrentExecutions")
                .setDimensions(Map.of("FunctionName", function)).setTimestamp(ts).setMin(r.nextInt(100)).setMax(r.nextDouble() * 900)
                .setSum(r.nextGaussian()).setCount(r.nextBoolean() ? 60 : -0.0)
                .setPercentiles(r.nextBoolean() ? Map.of() : Map.of("p99", r.nextDouble()))
                .setUnit(r.nextInt(10) == 0 ? "None" : "Count")
                .setResource(new Resource("AWS::Lambda::Function", function, "arn:aws:lambda:us-east-1:123456789012:function:" + function))
                .setMetricStreamName(r.nextInt(5) == 0 ? null : "augur").build();
    }

    static byte[] avro(ForecastHistory h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var e = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ForecastHistory.class).write(h, e);
        e.flush();
        return out.toByteArray();
    }

    static ForecastHistory fromAvro(byte[] b) throws IOException {
        return new SpecificDatumReader<>(ForecastHistory.class).read(null, DecoderFactory.get().binaryDecoder(b, null));
    }

    /**
     * Random histories (latest or not, open buckets' datapoints of the same series, some of another identity):
     * stored, serialized, read and loaded, the record's bytes are those of the history; thin when the identity is
     * latest's (or the first open datapoint's); the caller's history unchanged.
     */
    @Test
    void everyHistoryComesBackExactlyAndOpenBucketsOfTheSeriesAreStoredThin() throws IOException {
        Random r = new Random(3);
        int thin = 0, whole = 0;
        long saved = 0;
        for (int k = 0; k < 500; k++) {
            List<Long> starts = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            List<MetricDatapoint> open = new ArrayList<>();
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                starts.add(T0 + i * 300_000L);
                values.add(r.nextDouble());
                open.add(datapoint(r, T0 + i * 300_000L + r.nextInt(300_000), r.nextInt(6) == 0 ? "other" : "checkout"));
            }
            ForecastHistory h = ForecastHistory.newBuilder().setBucketStarts(List.of(T0 - 600_000L)).setBucketValues(List.of(1.5))
                    .setOpenStarts(starts).setOpenValues(values).setOpenLatest(open)
                    .setLatest(r.nextInt(3) == 0 ? null : datapoint(r, T0 - 1, "checkout"))
                    .setLimitValue(r.nextBoolean() ? null : 900.0).setLimitTime(null)
                    .setPendingLimitTimes(List.of()).setPendingLimitValues(List.of()).build();
            byte[] original = avro(h);
            ForecastHistory s = StoredForecastHistory.stored(h);
            assertThat(avro(h)).as("case %d: unchanged", k).isEqualTo(original);
            byte[] stored = avro(s);
            ForecastHistory loaded = StoredForecastHistory.load(fromAvro(stored));
            assertThat(avro(loaded)).as("case %d", k).isEqualTo(original);
            assertThat(avro(StoredForecastHistory.stored(loaded))).as("case %d: stored again", k).isEqualTo(stored);
            thin += Long.bitCount(s.getOpenLatestThin());
            whole += n - Long.bitCount(s.getOpenLatestThin());
            saved += original.length - stored.length;
        }
        assertThat(thin).isGreaterThan(300);
        assertThat(whole).isGreaterThan(200);
        assertThat(saved / (double) thin).as("bytes saved per thin datapoint").isGreaterThan(200);
        assertThat(StoredForecastHistory.load(null)).isNull();
        assertThat(StoredForecastHistory.stored(null)).isNull();
    }
}
