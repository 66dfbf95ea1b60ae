package io.augur.job.bench;

import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.schema.MetricDatapoint;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's generated input is valid Metric Streams JSON, and the latency probe finds each datapoint's number. */
class BenchDataTest {
    @Test
    void everyLineParsesAndMapsBackToItsNumber() {
        BenchData data = new BenchData(60);
        RecordParser parser = new RecordParser();
        Set<String> series = new HashSet<>();
        int minutes = 3;
        for (long n = 0; n < 60L * minutes; n++) {
            ParseResult r = new ParseResult();
            parser.parse(data.line(n, minutes), r);
            assertThat(r.rejections).as("line %d", n).isEmpty();
            assertThat(r.metrics).hasSize(1);
            MetricDatapoint m = r.metrics.get(0);
            assertThat(m.getTimestamp()).isEqualTo(BenchData.START + (n / 60) * 60_000L);
            assertThat(data.indexOf(m.getNamespace(), m.getMetricName(), m.getDimensions().values().iterator().next(), m.getTimestamp()))
                    .isEqualTo(n);
            series.add(m.getSeriesId());
        }
        assertThat(series).hasSize(60); // 6 resources x 10 metrics, each its own series
    }

    @Test
    void theSameNumberGivesTheSameLine() {
        assertThat(new BenchData(100).line(12_345, 120)).isEqualTo(new BenchData(100).line(12_345, 120));
    }

    @Test
    void oneResourceInAThousandSurgesFromSixtyPercentOfTheRun() {
        BenchData data = new BenchData(10_000);
        // resource 0 (an EC2 instance, metric 0 = CPUUtilization) surges at minute 72 of 120; resource 1 does not
        String before = new String(data.line(data.index(0, 71), 120)), during = new String(data.line(data.index(0, 72), 120));
        assertThat(sum(during)).isGreaterThan(2 * sum(before));
        String other = new String(data.line(data.index(10, 72), 120)), otherBefore = new String(data.line(data.index(10, 71), 120));
        assertThat(sum(other)).isLessThan(1.5 * sum(otherBefore));
    }

    private static double sum(String line) {
        int i = line.indexOf("\"sum\":") + 6;
        return Double.parseDouble(line.substring(i, line.indexOf(',', i)));
    }
}
