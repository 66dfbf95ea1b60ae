package io.augur.ops.flink.detect;

import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The key is always series id|stat; a series' key is the same object from one datapoint to the next. */
class SeriesStatKeyTest {

    private static MetricDatapoint datapoint(String seriesId, String unit) {
        return MetricDatapoint.newBuilder().setSeriesId(seriesId).setAccountId("1").setRegion("r").setNamespace("AWS/Lambda")
                .setMetricName("Errors").setDimensions(Map.of()).setTimestamp(0).setMin(0).setMax(0).setSum(0).setCount(1)
                .setPercentiles(Map.of()).setUnit(unit).setResource(new Resource("t", "n", "a")).setMetricStreamName(null).build();
    }

    @Test
    void keyIsSeriesIdAndStat() {
        ScoreDatapoints.Keys keys = new ScoreDatapoints.Keys();
        Random r = new Random(11);
        // more ids than slots: slots are taken over by other series and their keys built again
        int ids = ScoreDatapoints.Keys.SLOTS + 5_000;
        for (int step = 0; step < 300_000; step++) {
            String id = "acct|us-east-1|AWS/Lambda|Errors|FunctionName=fn-" + r.nextInt(ids);
            String unit = r.nextInt(5) == 0 ? "Count" : "Milliseconds";
            MetricDatapoint m = datapoint(new String(id), unit); // a new String object each time, as decoded
            String key = keys.of(m);
            assertThat(key).isEqualTo(id + "|" + ("Count".equals(unit) ? "Sum" : "Average"));
            assertThat(keys.of(m)).isSameAs(key); // the same datapoint: the same key
        }
    }

    @Test
    void aSeriesKeyIsTheSameObject() {
        ScoreDatapoints.Keys keys = new ScoreDatapoints.Keys();
        String a = keys.of(datapoint(new String("acct|r|NS|M|D=1"), "Percent"));
        String b = keys.of(datapoint(new String("acct|r|NS|M|D=1"), "Percent"));
        assertThat(b).isSameAs(a).isEqualTo("acct|r|NS|M|D=1|Average");
        // the same series id with the other statistic (its unit changed): the other key
        assertThat(keys.of(datapoint("acct|r|NS|M|D=1", "Count"))).isEqualTo("acct|r|NS|M|D=1|Sum");
        assertThat(keys.of(datapoint("acct|r|NS|M|D=1", "Percent"))).isEqualTo("acct|r|NS|M|D=1|Average");
    }

    @Test
    void theSelectorKeysEveryDatapoint() throws Exception {
        var selector = ScoreDatapoints.seriesStatKey();
        MetricDatapoint m = datapoint("x|y", "Count/Second");
        assertThat(selector.getKey(m)).isEqualTo("x|y|Sum");
        assertThat(selector.getKey(datapoint("x|z", "None"))).isEqualTo("x|z|Average");
        assertThat(selector.getKey(m)).isEqualTo("x|y|Sum");
    }
}
