package io.augur.ops.parse;

import io.augur.ops.deadletter.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input is never an exception: each bad item becomes exactly one rejection with a precise reason. */
class BadInputTest {
    private static final String GOOD = "{\"metric_stream_name\":\"s\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\",\"namespace\":\"AWS/EC2\","
            + "\"metric_name\":\"CPUUtilization\",\"dimensions\":{\"InstanceId\":\"i-1\"},\"timestamp\":1700000000000,"
            + "\"value\":{\"max\":2.0,\"min\":1.0,\"sum\":3.0,\"count\":2.0},\"unit\":\"Percent\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NaN statistic             | \"sum\":3.0                 | \"sum\":NaN                  | NON_FINITE_VALUE",
            "Infinity statistic        | \"max\":2.0                 | \"max\":Infinity             | NON_FINITE_VALUE",
            "negative count            | \"count\":2.0               | \"count\":-1                 | INVALID_VALUE",
            "min above max             | \"min\":1.0                 | \"min\":5.0                  | INVALID_VALUE",
            "string where number       | \"sum\":3.0                 | \"sum\":\"3.0\"              | WRONG_TYPE",
            "timestamp as string       | \"timestamp\":1700000000000 | \"timestamp\":\"yesterday\"  | WRONG_TYPE",
            "timestamp in seconds      | \"timestamp\":1700000000000 | \"timestamp\":1700000000     | INVALID_TIMESTAMP",
            "missing account           | \"account_id\":\"123456789012\", |                         | MISSING_FIELD",
            "null metric name          | \"metric_name\":\"CPUUtilization\" | \"metric_name\":null     | MISSING_FIELD",
            "value not an object       | \"value\":{\"max\":2.0,\"min\":1.0,\"sum\":3.0,\"count\":2.0} | \"value\":7 | WRONG_TYPE",
            "dimension value a number  | \"InstanceId\":\"i-1\"      | \"InstanceId\":1             | WRONG_TYPE",
            "missing count             | ,\"count\":2.0              |                              | MISSING_FIELD",
    })
    void aBadDatapointIsRejectedWithItsReason(String name, String from, String to, DeadLetterReason reason) {
        String bad = GOOD.replace(from, to == null ? "" : to);
        assertThat(bad).isNotEqualTo(GOOD);

        ParseResult r = Fixtures.parse(bad);

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(reason);
            assertThat(x.detail()).isNotBlank();
            assertThat(new String(x.payload(), StandardCharsets.UTF_8)).isEqualTo(bad);
        });
    }

    @Test
    void oneBadLineDoesNotSpoilTheOthersInTheSameRecord() {
        String record = GOOD + "\n{\"metric_stream_name\": broken\n" + GOOD.replace("i-1", "i-2") + "\n";

        ParseResult r = Fixtures.parse(record);

        assertThat(r.metrics).hasSize(2);
        assertThat(r.rejections).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON));
        assertThat(r.read()).isEqualTo(3);
    }

    @Test
    void truncatedGzipIsOneRejectionForTheRecord() {
        byte[] gz = Fixtures.gzip((GOOD + "\n").repeat(20).getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);

        ParseResult r = Fixtures.parse(truncated);

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(DeadLetterReason.TRUNCATED_GZIP);
            assertThat(x.payload()).isEqualTo(truncated);
        });
    }

    @Test
    void oversizedRecordsAndGzipBombsAreRejectedBeforeParsing() {
        ParseResult big = new ParseResult();
        new RecordParser(100, 1000).parse((GOOD + "\n").getBytes(StandardCharsets.UTF_8), big);
        assertThat(big.rejections).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo(DeadLetterReason.OVERSIZED_RECORD));

        ParseResult bomb = new ParseResult();
        byte[] zeros = Fixtures.gzip(new byte[100_000]);
        new RecordParser(1 << 20, 10_000).parse(zeros, bomb);
        assertThat(bomb.rejections).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo(DeadLetterReason.DECOMPRESSED_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty text          | '   '                 | EMPTY_RECORD",
            "not JSON            | hello world           | MALFORMED_JSON",
            "JSON array          | '[1,2,3]'             | UNKNOWN_FORMAT",
            "unrelated object    | '{\"foo\": 1}'        | UNKNOWN_FORMAT",
            "unterminated object | '{\"namespace\": \"AWS/EC2\"' | MALFORMED_JSON",
    })
    void unrecognisableRecords(String name, String payload, DeadLetterReason reason) {
        ParseResult r = Fixtures.parse(payload);

        assertThat(r.rejections).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo(reason));
        assertThat(r.read()).isEqualTo(1);
    }

    @Test
    void anEmptyRecordIsRejectedNotDropped() {
        ParseResult r = Fixtures.parse(new byte[0]);
        assertThat(r.rejections).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo(DeadLetterReason.EMPTY_RECORD));
    }

    @Test
    void prettyPrintedSingleObjectsAreRead() {
        String pretty = GOOD.replace(",", ",\n  ");
        ParseResult r = Fixtures.parse(pretty);
        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).hasSize(1);
    }
}
