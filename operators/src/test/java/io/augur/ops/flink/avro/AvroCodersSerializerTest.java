package io.augur.ops.flink.avro;

import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated coders give Flink's AvroSerializer's bytes, and each reads what the other wrote. */
class AvroCodersSerializerTest {
    private static final String[] WORDS = {"", "a", "AWS/EC2", "CPUUtilization", "Percent", "Count", "i-0abc|x=y", "ünïcødé ✓", "日本語", "\u0000", "a\"b\\c"};

    private static String word(Random r) {
        if (r.nextInt(4) == 0) {
            StringBuilder b = new StringBuilder();
            for (int i = r.nextInt(40); i > 0; i--) b.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000)));
            return b.toString();
        }
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static double number(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> Double.MIN_VALUE;
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
        };
    }

    static MetricDatapoint datapoint(Random r) {
        Map<String, String> dims = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) dims.put(word(r) + i, word(r));
        Map<String, Double> pct = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) pct.put("p" + r.nextInt(100), number(r));
        return MetricDatapoint.newBuilder().setSeriesId(word(r) + "|" + word(r)).setAccountId(word(r)).setRegion(word(r))
                .setNamespace(word(r)).setMetricName(word(r)).setDimensions(dims).setTimestamp(r.nextLong()).setMin(number(r))
                .setMax(number(r)).setSum(number(r)).setCount(number(r)).setPercentiles(pct).setUnit(word(r))
                .setResource(new Resource(word(r), word(r), word(r))).setMetricStreamName(r.nextBoolean() ? null : word(r)).build();
    }

    private static <T> byte[] bytes(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static <T extends SpecificRecordBase> void check(T value, AvroCodersSerializer<T> coders, AvroSerializer<T> avro) throws IOException {
        byte[] mine = bytes(coders, value), theirs = bytes(avro, value);
        assertThat(mine).isEqualTo(theirs);
        T back = coders.deserialize(new DataInputDeserializer(theirs));
        assertThat(back).isEqualTo(value);
        T avroBack = avro.deserialize(new DataInputDeserializer(mine));
        assertThat(avroBack).isEqualTo(value);
        assertThat(bytes(avro, back)).as("read back and written again: maps iterate in the same order as Avro's reader's")
                .isEqualTo(bytes(avro, avroBack));
        assertThat(coders.copy(value)).isEqualTo(value).isNotSameAs(value);
    }

    @Test
    void sameBytesAsFlinksAvroSerializerAndEachReadsTheOther() throws IOException {
        Random r = new Random(7);
        var coders = new AvroCodersSerializer<>(MetricDatapoint.class, MetricDatapoint::new);
        var avro = new AvroSerializer<>(MetricDatapoint.class);
        var scoredCoders = new AvroCodersSerializer<>(ScoredDatapoint.class, ScoredDatapoint::new);
        var scoredAvro = new AvroSerializer<>(ScoredDatapoint.class);
        for (int i = 0; i < 2_000; i++) {
            MetricDatapoint d = datapoint(r);
            check(d, coders, avro);
            check(new ScoredDatapoint(word(r), word(r), number(r), number(r), r.nextInt(3) - 1, number(r), number(r), number(r),
                    r.nextBoolean(), r.nextBoolean(), d), scoredCoders, scoredAvro);
        }
        // one serializer, many records in one stream (as on a network edge)
        DataOutputSerializer out = new DataOutputSerializer(1024);
        MetricDatapoint[] all = new MetricDatapoint[100];
        for (int i = 0; i < all.length; i++) coders.serialize(all[i] = datapoint(r), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (MetricDatapoint d : all) assertThat(coders.deserialize(in)).isEqualTo(d);
        assertThat(in.available()).isZero();
    }

    @Test
    void theTypeInfoMakesTheSerializer() {
        var t = new AvroCodersTypeInfo<>(MetricDatapoint.class, MetricDatapoint::new);
        assertThat(t.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isEqualTo(new AvroCodersSerializer<>(MetricDatapoint.class, MetricDatapoint::new));
        assertThat(t).isEqualTo(new AvroCodersTypeInfo<>(MetricDatapoint.class, MetricDatapoint::new));
        assertThat(t.getTypeClass()).isEqualTo(MetricDatapoint.class);
    }
}
