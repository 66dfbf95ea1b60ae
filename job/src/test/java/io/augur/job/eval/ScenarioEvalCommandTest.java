package io.augur.job.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.job.cli.AugurCli;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `augur eval scenarios` reads the simulator's real ground truth and insights.ndjson lines as RecordJson writes them. */
class ScenarioEvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void perfectInsightsScoreFullMarks(@TempDir Path dir) throws Exception {
        new Simulator(Scenario.named("default").withSizes(10, 2, null), 7).write(dir);
        JsonNode truth = JSON.readTree(dir.resolve(Simulator.GROUND_TRUTH_FILE).toFile());
        List<String> lines = new ArrayList<>();
        int withCause = 0, incidents = 0;
        for (JsonNode i : truth.get("incidents")) {
            incidents++;
            boolean proactive = i.get("expectedInsight").asText().equals("PROACTIVE");
            long onset = i.get("onsetEpochMs").asLong();
            ObjectNode l = JSON.createObjectNode();
            l.put("id", i.get("id").asText() + ":NEW_INSIGHT:0");
            l.put("insightId", "insight-" + i.get("id").asText());
            l.put("messageType", "NEW_INSIGHT");
            l.put("insightType", i.get("expectedInsight").asText());
            l.put("application", i.get("stack").asText());
            l.put("time", onset + (proactive ? 3_600_000 : 120_000));
            ObjectNode body = l.putObject("body");
            body.put("startTime", onset + (proactive ? 3_600_000 : 60_000));
            ObjectNode a = body.putArray("anomalies").addObject();
            a.putArray("sourceDetails").addObject().putObject("dataIdentifiers")
                    .put("name", proactive ? i.get("limit").get("metricName").asText() : "Errors");
            a.putArray("associatedResourceArns").add(i.get("primaryResource").asText());
            if (!i.get("causeEventId").isNull()) {
                body.putArray("relatedEvents").addObject().put("id", i.get("causeEventId").asText());
                withCause++;
            }
            lines.add(l.toString());
        }
        Files.write(dir.resolve("insights.ndjson"), lines, StandardCharsets.UTF_8);

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = AugurCli.execute("eval", "scenarios", "--truth", dir.resolve(Simulator.GROUND_TRUTH_FILE).toString(),
                    "--insights", dir.resolve("insights.ndjson").toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(incidents).isEqualTo(8);
        assertThat(out).contains("incident recall        8/8 = 100.0 %", "false insights         0 of 8 insights; 0.00 per 1,000 resource-days",
                "time to detect         median 2.0 min (2.0 datapoints), p90 2.0 min (2.0 datapoints)",
                "cause linked           " + withCause + "/" + withCause + " = 100.0 %", "grouping               8/8 detected incidents with exactly one insight",
                "proactive lead time    median 32.2 h, min 31.3 h; 4/4 warned >= 24 h ahead");
    }
}
