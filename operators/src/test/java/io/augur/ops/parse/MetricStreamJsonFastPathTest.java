package io.augur.ops.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.deadletter.BadInputException;
import io.augur.schema.MetricDatapoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming fast path gives exactly the tree path's datapoint, and leaves every other line to the tree path. */
class MetricStreamJsonFastPathTest {
    private static final String BASE = "\"metric_stream_name\":\"S\",\"account_id\":\"123\",\"region\":\"us-east-1\",\"namespace\":\"AWS/EC2\","
            + "\"metric_name\":\"CPUUtilization\",\"dimensions\":{\"InstanceId\":\"i-1\"},\"timestamp\":1611929698000,";

    private static MetricDatapoint fast(String line) {
        byte[] b = (" " + line + " \r").getBytes(StandardCharsets.UTF_8);
        return MetricStreamJsonFastPath.tryParse(RecordParser.mapper().getFactory(), b, 1, b.length);
    }

    private static MetricDatapoint tree(String line) throws Exception {
        JsonNode n = RecordParser.mapper().readTree(line);
        assertThat(MetricStreamJsonParser.accepts(n)).isTrue();
        return MetricStreamJsonParser.parse(n);
    }

    @Test
    void wellFormedDatapointsEqualTheTreePaths() throws Exception {
        List<String> lines = List.of(
                "{" + BASE + "\"value\":{\"max\":12.5,\"min\":2.0,\"sum\":29.5,\"count\":5.0},\"unit\":\"Percent\"}",
                "{" + BASE + "\"value\":{\"max\":12,\"min\":2,\"sum\":29,\"count\":5,\"p99\":11.5,\"P50\":3,\"avg\":\"x\"},\"unit\":\"Percent\"}",
                "{\"unit\":7,\"value\":{\"count\":0,\"sum\":0,\"min\":0,\"max\":0}," + BASE + "\"extra\":[1,{\"a\":[2]}],\"metric_stream_name\":null}"
                        .replace(",\"metric_stream_name\":null", ""),
                "{\"account_id\":\"1\",\"region\":\"r\",\"namespace\":\"AWS/Lambda\",\"metric_name\":\"Errors\",\"dimensions\":null,"
                        + "\"timestamp\":1611929698000,\"value\":{\"max\":1e0,\"min\":-0.0,\"sum\":1E2,\"count\":1}}",
                "{\"account_id\":\"1\",\"region\":\"r\",\"namespace\":\"Custom/X\",\"metric_name\":\"Q\","
                        + "\"timestamp\":1611929698000,\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":2},\"unit\":\"Count\"}");
        for (String l : lines) {
            MetricDatapoint f = fast(l);
            assertThat(f).as(l).isNotNull();
            assertThat(f).as(l).isEqualTo(tree(l));
            assertThat(f.getDimensions().keySet()).as(l).containsExactlyElementsOf(tree(l).getDimensions().keySet());
        }
    }

    @Test
    void everyUnusualLineIsLeftToTheTreePath() {
        String v = "\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":1}";
        List<String> lines = List.of(
                "{" + BASE + v + "} {}",                                            // trailing tokens
                "{" + BASE + v,                                                     // truncated
                "{" + BASE + v + ",\"region\":\"eu-west-1\"}",                      // repeated field
                "{" + BASE.replace("\"us-east-1\"", "\"\"") + v + "}",              // empty text
                "{" + BASE.replace("\"123\"", "123") + v + "}",                     // wrong type
                "{" + BASE.replace("1611929698000", "1611929698") + v + "}",        // implausible time
                "{" + BASE.replace("1611929698000", "1611929698000.0") + v + "}",   // time not integral
                "{" + BASE.replace("{\"InstanceId\":\"i-1\"}", "{\"InstanceId\":1}") + v + "}", // dimension not text
                "{" + BASE.replace("{\"InstanceId\":\"i-1\"}", "[]") + v + "}",      // dimensions not an object
                "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":1}}",           // missing count
                "{" + BASE + "\"value\":{\"max\":NaN,\"min\":0,\"sum\":1,\"count\":1}}", // not finite
                "{" + BASE + "\"value\":{\"max\":0,\"min\":1,\"sum\":1,\"count\":1}}",   // min above max
                "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":-1}}",  // negative count
                "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":1,\"p99\":1,\"P99\":2}}", // one percentile twice
                "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":\"1\",\"count\":1}}", // number as text
                "{" + BASE.replace("\"metric_name\":\"CPUUtilization\",", "") + v + "}", // no metric name
                "[" + "{" + BASE + v + "}]");                                         // not an object
        for (String l : lines) assertThat(fast(l)).as(l).isNull();
    }

    @Test
    void aRecordParsesTheSameWhicheverPathTakesItsLines() throws BadInputException {
        String good = "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":1}}";
        String bad = "{" + BASE + "\"value\":{\"max\":1,\"min\":0,\"sum\":1,\"count\":-1}}";
        ParseResult r = new ParseResult();
        new RecordParser().parse((good + "\n" + bad + "\n" + good.replace("i-1", "i-2") + "\n").getBytes(StandardCharsets.UTF_8), r);
        assertThat(r.metrics).hasSize(2);
        assertThat(r.metrics.get(1).getDimensions()).containsEntry("InstanceId", "i-2");
        assertThat(r.rejections).hasSize(1);
        assertThat(r.rejections.get(0).detail()).isEqualTo("sample count is negative: -1.0");
    }
}
