package io.augur.job.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.ops.coverage.Coverage;
import io.augur.ops.coverage.Memberships;
import io.augur.schema.ChangeEvent;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.ResourceMembership;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The default scenario, generated once: every line parses, and every injected incident shows in the metrics. */
class SimScenarioTest {
    private static final long MIN = 60_000;

    @TempDir
    static Path dir;
    static Simulator.Summary summary;
    static JsonNode truth;
    /** arn|metric → timestamp → datapoint (the last delivery wins; duplicates are equal). */
    static final Map<String, NavigableMap<Long, MetricDatapoint>> series = new HashMap<>();
    static final Map<String, ChangeEvent> events = new HashMap<>();
    static int metricLines, rejections, outOfOrder, duplicates, eventLines, ignoredEvents;

    @BeforeAll
    static void generateAndParse() throws Exception {
        summary = new Simulator(Scenario.named("default"), Long.getLong("augur.sim.seed", 42)).write(dir);
        truth = new ObjectMapper().readTree(dir.resolve(Simulator.GROUND_TRUTH_FILE).toFile());
        RecordParser parser = new RecordParser();
        ParseResult r = new ParseResult();
        Set<String> seen = new HashSet<>();
        long newest = Long.MIN_VALUE;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve(Simulator.METRICS_FILE), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                metricLines++;
                r.clear();
                parser.parse(line.getBytes(StandardCharsets.UTF_8), r);
                rejections += r.rejections.size();
                assertThat(r.metrics).as(line).hasSize(1);
                MetricDatapoint d = r.metrics.get(0);
                if (d.getTimestamp() < newest - MIN) outOfOrder++;
                newest = Math.max(newest, d.getTimestamp());
                if (!seen.add(d.getSeriesId() + "@" + d.getTimestamp())) duplicates++;
                series.computeIfAbsent(key(d.getResource().getArn().toString(), d.getMetricName().toString()), k -> new TreeMap<>())
                        .put(d.getTimestamp(), d);
            }
        }
        for (String line : Files.readAllLines(dir.resolve(Simulator.EVENTS_FILE), StandardCharsets.UTF_8)) {
            eventLines++;
            r.clear();
            parser.parse(line.getBytes(StandardCharsets.UTF_8), r);
            rejections += r.rejections.size();
            ignoredEvents += r.ignoredCount();
            for (ChangeEvent e : r.events) events.put(e.getId().toString(), e);
        }
    }

    static String key(String arn, String metric) {
        return arn + "|" + metric;
    }

    // ---- the wire formats -------------------------------------------------------------------------------------

    @Test
    void everyLineParsesWithoutRejections() {
        assertThat(rejections).isZero();
        assertThat(metricLines).isEqualTo(summary.metricLines());
        assertThat(metricLines).isEqualTo(summary.datapoints() - summary.dropped() + summary.duplicated());
        assertThat(eventLines).isEqualTo(summary.eventLines());
        assertThat(events.size() + ignoredEvents).isGreaterThan(eventLines / 2);
        assertThat(series).hasSize(summary.series());
    }

    @Test
    void deliveryIsImperfectOnPurpose() {
        assertThat(summary.dropped()).isPositive();
        assertThat(outOfOrder).isPositive();
        assertThat(duplicates).isPositive();
        long expected = (long) summary.series() * Scenario.named("default").days() * 1440;
        long distinct = series.values().stream().mapToLong(Map::size).sum();
        assertThat(distinct).isLessThan(expected).isGreaterThan((long) (expected * 0.995));
    }

    @Test
    void statisticsAreConsistentAndUnitsAreCloudWatchs() {
        Set<String> units = Set.of("Percent", "Bytes", "Count", "Seconds", "Milliseconds", "None");
        for (NavigableMap<Long, MetricDatapoint> s : series.values()) {
            for (MetricDatapoint d : s.values()) {
                assertThat(units).contains(d.getUnit().toString());
                assertThat(d.getCount()).isPositive();
                double avg = d.getSum() / d.getCount();
                double tol = 1e-4 * Math.max(1, Math.abs(avg));
                assertThat(avg).as(d.toString()).isBetween(d.getMin() - tol, d.getMax() + tol);
                for (Object p : d.getPercentiles().values()) assertThat((Double) p).isBetween(d.getMin() - tol, d.getMax() + tol);
            }
        }
    }

    @Test
    void theFleetHasEveryTierAndMetric() {
        Set<String> metrics = new HashSet<>();
        for (String k : series.keySet()) metrics.add(k.substring(k.indexOf(":", 8) + 1).replaceAll("^[^:]*:[^|]*\\|", ""));
        List<String> required = List.of("CPUUtilization", "NetworkIn", "NetworkOut", "EBSReadOps", "EBSWriteOps", "RequestCount",
                "TargetResponseTime", "HTTPCode_Target_5XX_Count", "Invocations", "Duration", "Errors", "Throttles",
                "ConcurrentExecutions", "DatabaseConnections", "FreeStorageSpace", "FreeableMemory", "ReadLatency", "DBLoad",
                "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ThrottledRequests", "SuccessfulRequestLatency",
                "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible");
        Set<String> names = new HashSet<>();
        for (String k : series.keySet()) names.add(k.substring(k.lastIndexOf('|') + 1));
        assertThat(names).containsAll(required);
        assertThat(summary.resources()).isEqualTo(20);
        boolean tagged = false, untagged = false;
        for (JsonNode a : truth.get("applications")) {
            if (a.get("tag").isNull()) untagged = true;
            else tagged = a.get("tag").get("key").asText().startsWith("devops-guru-");
            for (JsonNode r : a.get("resources")) {
                for (JsonNode m : r.get("metrics")) assertThat(series).containsKey(key(r.get("arn").asText(), m.asText()));
            }
        }
        assertThat(tagged).isTrue();
        assertThat(untagged).isTrue();
    }

    // ---- ground truth -----------------------------------------------------------------------------------------

    @Test
    void groundTruthListsEveryKindWithEveryField() {
        List<String> fields = List.of("id", "kind", "expectedInsight", "description", "onset", "onsetEpochMs", "end", "endEpochMs",
                "durationMinutes", "application", "stack", "primaryResource", "affectedResources", "causeEventId", "causeEventName",
                "causeEventTime", "causeEventTimeEpochMs", "causeEventBridgeId", "causeEventResource", "exhaustion", "exhaustionEpochMs", "limit");
        Set<IncidentKind> kinds = EnumSet.noneOf(IncidentKind.class);
        Set<String> arns = new HashSet<>();
        for (JsonNode a : truth.get("applications")) for (JsonNode r : a.get("resources")) arns.add(r.get("arn").asText());
        for (JsonNode i : truth.get("incidents")) {
            for (String f : fields) assertThat(i.has(f)).as(i.get("id") + " has " + f).isTrue();
            IncidentKind k = IncidentKind.valueOf(i.get("kind").asText());
            kinds.add(k);
            assertThat(i.get("expectedInsight").asText()).isEqualTo(k.insight.name());
            assertThat(i.get("onsetEpochMs").asLong()).isLessThan(i.get("endEpochMs").asLong());
            assertThat(java.time.Instant.parse(i.get("onset").asText()).toEpochMilli()).isEqualTo(i.get("onsetEpochMs").asLong());
            assertThat(i.get("affectedResources").size()).isPositive();
            for (JsonNode arn : i.get("affectedResources")) assertThat(arns).contains(arn.asText());
            if (k.proactive()) {
                assertThat(i.get("exhaustionEpochMs").asLong()).isBetween(i.get("onsetEpochMs").asLong() + 6 * 60 * MIN, i.get("endEpochMs").asLong());
                for (String f : List.of("namespace", "metricName", "dimensions", "stat", "value", "unit")) assertThat(i.get("limit").has(f)).isTrue();
                List<String> trend = new ArrayList<>();
                for (JsonNode t : i.get("trendSignals")) trend.add(t.get("resource").asText().replaceAll(".*:", "") + "|" + t.get("metric").asText());
                String primary = i.get("primaryResource").asText().replaceAll(".*:", "");
                assertThat(trend).as(k + " trend signals").containsExactlyElementsOf(k == IncidentKind.LAMBDA_CONCURRENCY_CREEP
                        ? List.of(primary + "|ConcurrentExecutions", primary + "|Duration", trend.get(2).replaceAll("\\|.*", "") + "|TargetResponseTime")
                        : List.of(primary + "|" + i.get("limit").get("metricName").asText()));
                if (k == IncidentKind.LAMBDA_CONCURRENCY_CREEP) assertThat(i.get("trendSignals").get(2).get("resource").asText()).contains(":loadbalancer/app/");
            } else {
                assertThat(i.get("exhaustion").isNull()).isTrue();
                assertThat(i.get("limit").isNull()).isTrue();
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(IncidentKind.values());
        assertThat(truth.get("noise").size()).isPositive();
        assertThat(truth.get("startEpochMs").asLong()).isEqualTo(Scenario.DEFAULT_START.toEpochMilli());
    }

    @Test
    void everyResourcesStackAndTagsShowInTheChangeEvents() {
        Map<String, ResourceMembership> known = new HashMap<>();
        events.values().stream().sorted(java.util.Comparator.comparingLong(ChangeEvent::getTime)).forEach(e -> {
            for (Resource r : e.getResources()) {
                String arn = r.getArn().toString();
                known.put(arn, Memberships.apply(known.get(arn), arn, e));
            }
        });
        Coverage tags = new Coverage(CoverageSettings.newBuilder().setMode(CoverageMode.TAGS).setTagKey("devops-guru-app").setTagValues(List.of("*"))
                .setAccounts(List.of()).setStackNames(List.of()).build());
        Coverage stacks = new Coverage(CoverageSettings.newBuilder().setMode(CoverageMode.STACKS).setStackNames(List.of("*"))
                .setAccounts(List.of()).setTagValues(List.of()).build());
        int tagged = 0;
        for (JsonNode app : truth.get("applications")) {
            List<String> arns = new ArrayList<>();
            for (JsonNode r : app.get("resources")) arns.add(r.get("arn").asText());
            arns.add("arn:aws:codedeploy:us-east-1:123456789012:application:" + app.get("codeDeployApplication").asText());
            for (String arn : arns) {
                ResourceMembership m = known.get(arn);
                assertThat(m).as(arn).isNotNull();
                assertThat(m.getStackName()).as(arn).isEqualTo(app.get("stack").asText());
                assertThat(stacks.applicationOf("123456789012", arn, m).name()).isEqualTo(app.get("stack").asText());
                if (app.get("tag").isNull()) {
                    assertThat(m.getTags()).as(arn).doesNotContainKey("devops-guru-app");
                    assertThat(tags.applicationOf("123456789012", arn, m)).isNull();
                } else {
                    assertThat(m.getTags()).as(arn).containsEntry("devops-guru-app", app.get("tag").get("value").asText());
                    assertThat(tags.applicationOf("123456789012", arn, m).name()).isEqualTo(app.get("name").asText());
                    tagged++;
                }
            }
        }
        assertThat(tagged).isPositive();
    }

    @Test
    void causingChangeEventsExistTouchTheirResourceAndPrecedeOnset() {
        int withCause = 0;
        for (JsonNode i : truth.get("incidents")) {
            IncidentKind k = IncidentKind.valueOf(i.get("kind").asText());
            if (k == IncidentKind.DEPLOYMENT_REGRESSION || k == IncidentKind.BAD_CONFIG_CHANGE) assertThat(i.get("causeEventId").isNull()).isFalse();
            if (i.get("causeEventId").isNull()) continue;
            withCause++;
            ChangeEvent e = events.get(i.get("causeEventId").asText());
            assertThat(e).as("cause of " + i.get("id")).isNotNull();
            assertThat(e.getTime()).isEqualTo(i.get("causeEventTimeEpochMs").asLong()).isLessThan(i.get("onsetEpochMs").asLong())
                    .isGreaterThan(i.get("onsetEpochMs").asLong() - 15 * MIN);
            List<String> touched = new ArrayList<>();
            for (Resource r : e.getResources()) touched.add(r.getArn().toString());
            assertThat(touched).contains(i.get("causeEventResource").asText());
        }
        assertThat(withCause).isGreaterThanOrEqualTo(2);
        for (JsonNode n : truth.get("noise")) {
            if (!n.get("eventId").isNull() && !n.get("kind").asText().equals("READ_ONLY_CALL")) {
                assertThat(events).as("noise event " + n.get("eventId")).containsKey(n.get("eventId").asText());
            }
        }
    }

    // ---- every incident is visible ----------------------------------------------------------------------------

    private static JsonNode incident(IncidentKind k) {
        for (JsonNode i : truth.get("incidents")) if (i.get("kind").asText().equals(k.name())) return i;
        throw new AssertionError("no " + k);
    }

    private static JsonNode app(String name) {
        for (JsonNode a : truth.get("applications")) if (a.get("name").asText().equals(name)) return a;
        throw new AssertionError(name);
    }

    private static String arnOf(JsonNode app, String type, int nth) {
        int n = 0;
        for (JsonNode r : app.get("resources")) if (r.get("type").asText().equals(type) && n++ == nth) return r.get("arn").asText();
        return null;
    }

    private static NavigableMap<Long, MetricDatapoint> s(String arn, String metric) {
        NavigableMap<Long, MetricDatapoint> m = series.get(key(arn, metric));
        assertThat(m).as(arn + " " + metric).isNotNull();
        return m;
    }

    private static double avg(String arn, String metric, long from, long to) {
        double sum = 0;
        int n = 0;
        for (MetricDatapoint d : s(arn, metric).subMap(from, true, to, false).values()) {
            sum += d.getSum() / d.getCount();
            n++;
        }
        assertThat(n).isPositive();
        return sum / n;
    }

    private static double sumOf(String arn, String metric, long from, long to) {
        double sum = 0;
        for (MetricDatapoint d : s(arn, metric).subMap(from, true, to, false).values()) sum += d.getSum();
        return sum;
    }

    private static double maxOf(String arn, String metric, long from, long to) {
        double max = Double.NEGATIVE_INFINITY;
        for (MetricDatapoint d : s(arn, metric).subMap(from, true, to, false).values()) max = Math.max(max, d.getMax());
        return max;
    }

    private static final long DAY = 24 * 60 * MIN;

    private static double meanMax(String arn, long from, long to) {
        return s(arn, "ConcurrentExecutions").subMap(from, true, to, false).values().stream().mapToDouble(MetricDatapoint::getMax).average().orElseThrow();
    }

    /** The value nearest to {@code t} within two minutes (a datapoint may have been dropped). */
    private static double near(String arn, String metric, long t) {
        NavigableMap<Long, MetricDatapoint> m = s(arn, metric).subMap(t - 2 * MIN, true, t + 2 * MIN, true);
        assertThat(m).isNotEmpty();
        MetricDatapoint d = m.containsKey(t) ? m.get(t) : m.firstEntry().getValue();
        return d.getSum() / d.getCount();
    }

    @Test
    void deploymentRegressionRaisesLatencyAndErrorsOnTheServiceAndItsCaller() {
        JsonNode i = incident(IncidentKind.DEPLOYMENT_REGRESSION);
        long on = i.get("onsetEpochMs").asLong(), end = i.get("endEpochMs").asLong();
        String alb = arnOf(app(i.get("application").asText()), "AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        assertThat(avg(alb, "TargetResponseTime", on + 5 * MIN, end)).isGreaterThan(2 * avg(alb, "TargetResponseTime", on - 60 * MIN, on));
        assertThat(avg(alb, "HTTPCode_Target_5XX_Count", on + 5 * MIN, end)).isGreaterThan(5 * avg(alb, "HTTPCode_Target_5XX_Count", on - 60 * MIN, on));
        String primary = i.get("primaryResource").asText();
        if (primary.contains(":function:")) {
            assertThat(avg(primary, "Duration", on + 5 * MIN, end)).isGreaterThan(2 * avg(primary, "Duration", on - 60 * MIN, on));
        } else {
            // against the same hours a day earlier: the daily cycle moves CPU over the incident's hour too
            assertThat(avg(primary, "CPUUtilization", on + 5 * MIN, end)).isGreaterThan(8 + avg(primary, "CPUUtilization", on + 5 * MIN - DAY, end - DAY));
        }
        // and it is over once rolled back
        assertThat(avg(alb, "TargetResponseTime", end + 5 * MIN, end + 30 * MIN)).isLessThan(1.5 * avg(alb, "TargetResponseTime", on - 60 * MIN, on));
    }

    @Test
    void badConfigChangeCausesErrors() {
        JsonNode i = incident(IncidentKind.BAD_CONFIG_CHANGE);
        long on = i.get("onsetEpochMs").asLong(), end = i.get("endEpochMs").asLong();
        String alb = arnOf(app(i.get("application").asText()), "AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        assertThat(avg(alb, "HTTPCode_Target_5XX_Count", on + 3 * MIN, end)).isGreaterThan(5 * avg(alb, "HTTPCode_Target_5XX_Count", on - 60 * MIN, on));
        String primary = i.get("primaryResource").asText();
        String metric = primary.contains(":function:") ? "Errors" : "ReadLatency";
        assertThat(avg(primary, metric, on + 3 * MIN, end)).isGreaterThan(3 * avg(primary, metric, on - 60 * MIN, on));
    }

    @Test
    void trafficSurgeRaisesLoadOnEveryTierAndThrottles() {
        JsonNode i = incident(IncidentKind.TRAFFIC_SURGE);
        long on = i.get("onsetEpochMs").asLong(), end = i.get("endEpochMs").asLong();
        JsonNode app = app(i.get("application").asText());
        String alb = arnOf(app, "AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        assertThat(avg(alb, "RequestCount", on + 10 * MIN, end - 10 * MIN)).isGreaterThan(2.5 * avg(alb, "RequestCount", on - 60 * MIN, on));
        String fn = arnOf(app, "AWS::Lambda::Function", 0), table = arnOf(app, "AWS::DynamoDB::Table", 0);
        String ec2 = arnOf(app, "AWS::EC2::Instance", 0), db = arnOf(app, "AWS::RDS::DBInstance", 0);
        double throttled = 0;
        if (fn != null) {
            for (int k = 0; arnOf(app, "AWS::Lambda::Function", k) != null; k++) throttled += sumOf(arnOf(app, "AWS::Lambda::Function", k), "Throttles", on, end);
            assertThat(avg(fn, "ConcurrentExecutions", on + 10 * MIN, end - 10 * MIN)).isGreaterThan(2 * avg(fn, "ConcurrentExecutions", on - 60 * MIN, on));
        }
        if (table != null) throttled += sumOf(table, "ThrottledRequests", on, end);
        if (ec2 != null) assertThat(maxOf(ec2, "CPUUtilization", on, end)).isGreaterThan(90);
        if (db != null) assertThat(avg(db, "CPUUtilization", on + 10 * MIN, end - 10 * MIN)).isGreaterThan(1.5 * avg(db, "CPUUtilization", on - 60 * MIN, on));
        if (ec2 == null || table != null) assertThat(throttled).isPositive();
    }

    @Test
    void dependencyFailureStartsAtTheDatabaseAndCascadesUpstream() {
        JsonNode i = incident(IncidentKind.DEPENDENCY_FAILURE);
        long on = i.get("onsetEpochMs").asLong(), end = i.get("endEpochMs").asLong();
        JsonNode app = app(i.get("application").asText());
        String store = i.get("primaryResource").asText();
        String latency = store.contains(":db:") ? "ReadLatency" : "SuccessfulRequestLatency";
        double before = avg(store, latency, on - 60 * MIN, on);
        assertThat(avg(store, latency, on + 3 * MIN, end)).isGreaterThan(10 * before);
        String alb = arnOf(app, "AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        double errBefore = avg(alb, "HTTPCode_Target_5XX_Count", on - 60 * MIN, on);
        assertThat(avg(alb, "HTTPCode_Target_5XX_Count", on + 3 * MIN, end)).isGreaterThan(5 * errBefore);
        long firstSlow = first(store, latency, on - 10 * MIN, end, 3 * before);
        long firstErrors = first(alb, "HTTPCode_Target_5XX_Count", on - 10 * MIN, end, 5 * errBefore + 5);
        assertThat(firstSlow).isGreaterThanOrEqualTo(on).isLessThan(firstErrors);
        String queue = arnOf(app, "AWS::SQS::Queue", 0);
        assertThat(avg(queue, "ApproximateNumberOfMessagesVisible", on + 5 * MIN, end))
                .isGreaterThan(1.5 * avg(queue, "ApproximateNumberOfMessagesVisible", on - 60 * MIN, on));
    }

    private static long first(String arn, String metric, long from, long to, double above) {
        for (MetricDatapoint d : s(arn, metric).subMap(from, true, to, false).values()) if (d.getSum() / d.getCount() > above) return d.getTimestamp();
        return Long.MAX_VALUE;
    }

    @Test
    void memoryLeakAndDiskFillReachZeroAtTheStatedExhaustion() {
        for (IncidentKind k : List.of(IncidentKind.MEMORY_LEAK, IncidentKind.DISK_FILL)) {
            JsonNode i = incident(k);
            long on = i.get("onsetEpochMs").asLong(), exh = i.get("exhaustionEpochMs").asLong();
            String db = i.get("primaryResource").asText();
            String metric = i.get("limit").get("metricName").asText();
            assertThat(metric).isEqualTo(k == IncidentKind.MEMORY_LEAK ? "FreeableMemory" : "FreeStorageSpace");
            double start = avg(db, metric, on - 60 * MIN, on);
            assertThat(near(db, metric, exh)).as(k + " at exhaustion").isLessThan(0.02 * start);
            assertThat(near(db, metric, (on + exh) / 2)).as(k + " half way").isBetween(0.4 * start, 0.6 * start);
            assertThat(near(db, metric, exh - 120 * MIN)).as(k + " two hours before").isGreaterThan(0.02 * start);
            assertThat(i.get("limit").get("value").asDouble()).isZero();
        }
    }

    @Test
    void capacityCreepsReachTheirLimitsAtTheStatedExhaustionThenThrottle() {
        JsonNode d = incident(IncidentKind.DYNAMODB_CAPACITY_CREEP);
        long on = d.get("onsetEpochMs").asLong(), exh = d.get("exhaustionEpochMs").asLong(), end = d.get("endEpochMs").asLong();
        String table = d.get("primaryResource").asText();
        double limit = d.get("limit").get("value").asDouble();
        assertThat(d.get("limit").get("metricName").asText()).isEqualTo("ConsumedWriteCapacityUnits");
        assertThat(sumOf(table, "ConsumedWriteCapacityUnits", on - 60 * MIN, on) / 60).isLessThan(0.75 * limit);
        assertThat(sumOf(table, "ConsumedWriteCapacityUnits", exh - 30 * MIN, exh + 30 * MIN) / s(table, "ConsumedWriteCapacityUnits")
                .subMap(exh - 30 * MIN, true, exh + 30 * MIN, false).size()).isGreaterThan(0.85 * limit).isLessThanOrEqualTo(limit);
        assertThat(sumOf(table, "ThrottledRequests", exh, end)).isPositive();
        assertThat(sumOf(table, "ThrottledRequests", on - 600 * MIN, on)).isZero();

        JsonNode l = incident(IncidentKind.LAMBDA_CONCURRENCY_CREEP);
        on = l.get("onsetEpochMs").asLong();
        exh = l.get("exhaustionEpochMs").asLong();
        end = l.get("endEpochMs").asLong();
        String fn = l.get("primaryResource").asText();
        limit = l.get("limit").get("value").asDouble();
        assertThat(limit).isEqualTo(Fleet.LAMBDA_ACCOUNT_LIMIT);
        assertThat(maxOf(fn, "ConcurrentExecutions", on - 120 * MIN, on)).isLessThan(0.5 * limit);
        assertThat(maxOf(fn, "ConcurrentExecutions", exh - 30 * MIN, exh + 30 * MIN)).isLessThanOrEqualTo(limit);
        // The per-minute maximum is noisy (about ±10%): compare means over windows.
        assertThat(meanMax(fn, exh - 15 * MIN, exh + 15 * MIN)).isGreaterThan(0.93 * limit);
        assertThat(meanMax(fn, exh - 240 * MIN, exh - 180 * MIN)).isLessThan(0.9 * limit);
        assertThat(sumOf(fn, "Throttles", exh, end)).isPositive();
        assertThat(sumOf(fn, "Throttles", on - 600 * MIN, on)).isZero();
    }
}
