package io.augur.job.simulate;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.job.simulate.Fleet.App;
import io.augur.job.simulate.Fleet.SimResource;
import io.augur.job.simulate.Incident.EventRef;
import io.augur.job.simulate.Incident.Limit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a fleet's metrics and change events with injected incidents, in the wire formats Augur reads, and the
 * ground truth of what was injected. Deterministic: the same scenario, sizes and seed give the same bytes (no wall
 * clock, no hash-order iteration; every random draw comes from seeded {@link Random}s in a fixed order).
 */
public final class Simulator {
    public static final String METRICS_FILE = "metrics.ndjson";
    public static final String EVENTS_FILE = "events.ndjson";
    public static final String GROUND_TRUTH_FILE = "ground-truth.json";
    static final String STREAM_NAME = "augur-sim";
    private static final MathContext SIX = new MathContext(6);
    /** Proactive incidents meet their limits from this fraction of the run on (the last quarter). */
    private static final double PROACTIVE_FROM = 0.74;

    /** What a run wrote. */
    public record Summary(Path dir, int applications, int resources, int series, long metricLines, long datapoints,
                          long dropped, long late, long duplicated, int eventLines, int incidents, int noise) {
        public String describe() {
            return String.format("wrote %s: %d applications, %d resources, %d series; %d metric lines (%d datapoints dropped, %d late, %d duplicated), "
                            + "%d event lines; %d incidents, %d harmless noise items (%s, %s, %s)",
                    dir, applications, resources, series, metricLines, dropped, late, duplicated, eventLines, incidents, noise,
                    METRICS_FILE, EVENTS_FILE, GROUND_TRUTH_FILE);
        }
    }

    private record Noise(String kind, int minute, int minutes, App app, SimResource resource, String metric, double factor,
                         String eventId, String detail) {}

    private record Pending(long order, long seq, String line) {}

    private final Scenario scenario;
    private final long seed;
    private final long start;
    private final int minutes;
    private final Fleet fleet;
    private final MetricModel model;
    private final Random planRnd, eventRnd;
    private final List<Incident> incidents = new ArrayList<>();
    private final List<Noise> noise = new ArrayList<>();
    private final List<Pending> events = new ArrayList<>();
    private long eventSeq;

    public Simulator(Scenario scenario, long seed) {
        if (scenario.days() < 1) throw new IllegalArgumentException("--days must be at least 1, got " + scenario.days());
        this.scenario = scenario;
        this.seed = seed;
        this.start = scenario.start().toEpochMilli() / 60_000 * 60_000;
        this.minutes = scenario.days() * 1440;
        this.fleet = Fleet.build(scenario.resources(), new Random(mix(seed, 1)));
        this.model = new MetricModel(start);
        this.planRnd = new Random(mix(seed, 2));
        this.eventRnd = new Random(mix(seed, 3));
        planIncidents();
        planNoise();
        planMemberships(new Random(mix(seed, 6)));
    }

    private static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Fleet fleet() {
        return fleet;
    }

    /** The planned incidents (tests). */
    List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    long time(int minute) {
        return start + minute * 60_000L;
    }

    // ---- planning -----------------------------------------------------------------------------------------------

    private void planIncidents() {
        List<IncidentKind> reactive = new ArrayList<>(), proactive = new ArrayList<>();
        for (int rep = 0; rep < scenario.incidentsPerKind(); rep++) {
            for (IncidentKind k : IncidentKind.values()) (k.proactive() ? proactive : reactive).add(k);
        }
        Collections.shuffle(reactive, planRnd);
        Collections.shuffle(proactive, planRnd);
        // Proactive incidents first: slow trends (leaks, fills, creeps take days in practice) that begin after a few
        // hours of normal behaviour and reach exhaustion in the last quarter, exhaustions spread out so that no two
        // share a window. A warning a day ahead needs the trend to be visible more than a day before exhaustion, and a
        // load-driven series needs a day of history before its daily cycle can be told from a trend.
        int ps = (int) (minutes * PROACTIVE_FROM), pe = (int) (minutes * 0.94);
        int pslot = proactive.isEmpty() ? 0 : (pe - ps) / proactive.size();
        for (int i = 0; i < proactive.size(); i++) {
            IncidentKind k = proactive.get(i);
            int onset = (int) (minutes * (0.04 + 0.06 * planRnd.nextDouble()));
            int after = switch (k) {
                case MEMORY_LEAK -> 6;
                case DISK_FILL -> 15;
                case DYNAMODB_CAPACITY_CREEP -> 60;
                default -> 45;
            };
            int exhaustion = Math.min(ps + i * pslot + planRnd.nextInt(Math.max(1, pslot / 3)), minutes - after - 5);
            App app = chooseApp(k, exhaustion - 180, exhaustion + after);
            addProactive(k, app, onset, exhaustion, exhaustion + after);
        }
        // Reactive incidents in the second half (after a baseline has been seen), one per slot.
        int ws = (int) (minutes * 0.45), we = (int) (minutes * 0.95);
        int slot = reactive.isEmpty() ? 0 : (we - ws) / reactive.size();
        for (int i = 0; i < reactive.size(); i++) {
            IncidentKind k = reactive.get(i);
            int onset = ws + i * slot + planRnd.nextInt(Math.max(1, slot / 4));
            int duration = switch (k) {
                case DEPLOYMENT_REGRESSION -> 60 + planRnd.nextInt(61);
                case BAD_CONFIG_CHANGE -> 40 + planRnd.nextInt(51);
                case TRAFFIC_SURGE -> 30 + planRnd.nextInt(31);
                default -> 20 + planRnd.nextInt(26);
            };
            duration = Math.min(duration, Math.max(10, slot - slot / 4 - 20));
            App app = chooseApp(k, onset - 90, Math.min(minutes - 1, onset + duration + 60));
            addReactive(k, app, onset, Math.min(minutes - 5, onset + duration));
        }
        incidents.sort(Comparator.comparingInt((Incident i) -> i.onset).thenComparing(i -> i.kind));
        for (int i = 0; i < incidents.size(); i++) {
            Incident x = incidents.get(i);
            x.id = String.format("inc-%03d-%s", i + 1, x.kind.name().toLowerCase().replace('_', '-'));
        }
    }

    private static boolean eligible(IncidentKind k, App a) {
        return switch (k) {
            case BAD_CONFIG_CHANGE -> a.lambda || a.rds;
            case MEMORY_LEAK, DISK_FILL -> a.rds;
            case DYNAMODB_CAPACITY_CREEP -> !a.rds;
            case LAMBDA_CONCURRENCY_CREEP -> a.lambda;
            default -> true;
        };
    }

    /** The eligible application with the fewest incidents, preferring one without another incident in [from, to]. */
    private App chooseApp(IncidentKind k, int from, int to) {
        List<App> candidates = new ArrayList<>();
        for (App a : fleet.apps) if (eligible(k, a)) candidates.add(a);
        Collections.shuffle(candidates, planRnd);
        App best = null;
        int bestScore = Integer.MAX_VALUE;
        for (App a : candidates) {
            int count = 0, overlaps = 0;
            for (Incident i : incidents) {
                if (i.app != a) continue;
                count++;
                if (i.busyFrom() <= to && i.end >= from) overlaps++;
            }
            int score = overlaps * 1000 + count;
            if (score < bestScore) {
                best = a;
                bestScore = score;
            }
        }
        return best;
    }

    private void addReactive(IncidentKind k, App app, int onset, int end) {
        Incident inc = new Incident(k, app, onset, end);
        switch (k) {
            case DEPLOYMENT_REGRESSION -> {
                inc.primary = inc.computeTargets().get(0);
                inc.affected.addAll(inc.computeTargets());
                inc.affected.add(app.alb);
                String dep = deploymentId();
                inc.cause = deployment(app, dep, onset - 7, onset - 1);
                inc.resolve = deployment(app, deploymentId(), end - 5, end);
                inc.description = "deployment " + dep + " of " + app.name + " makes " + inc.primary.id + " about 3x slower with 4% errors; rolled back at the end";
            }
            case BAD_CONFIG_CHANGE -> {
                inc.variant = app.lambda && (!app.rds || planRnd.nextBoolean()) ? "lambda" : "rds";
                if (inc.variant.equals("lambda")) {
                    SimResource fn = app.apiFunction();
                    inc.primary = fn;
                    inc.affected.add(fn);
                    inc.affected.add(app.alb);
                    inc.cause = functionConfig(fn, time(onset - 1) + 7_000 + planRnd.nextInt(40_000), 128, 3);
                    inc.resolve = functionConfig(fn, time(end) - 20_000, fn.memoryMb, 30);
                    inc.description = "UpdateFunctionConfiguration cuts " + fn.id + " to 128 MB and a 3 s timeout: slower, timeouts and 5xx";
                } else {
                    SimResource db = app.store;
                    inc.primary = db;
                    inc.affected.add(db);
                    inc.affected.addAll(app.compute);
                    inc.affected.add(app.alb);
                    inc.cause = modifyDb(db, time(onset - 2) + planRnd.nextInt(50_000), "dBInstanceClass", db.instanceClass, "db.t4g.medium", true);
                    inc.resolve = modifyDb(db, time(end) - 30_000, "dBInstanceClass", "db.t4g.medium", db.instanceClass, false);
                    inc.description = "ModifyDBInstance moves " + db.id + " to db.t4g.medium: CPU and latency up, then upstream errors";
                }
            }
            case TRAFFIC_SURGE -> {
                inc.primary = app.alb;
                inc.affected.addAll(app.resources());
                double expected = model.expectedLoad(app, time(onset));
                inc.param = MetricModel.clamp(3.0 * 1.45 / expected, 3, 6);
                inc.description = String.format("traffic on %s rises %.1fx over 8 minutes on every tier: saturation and throttling", app.name, inc.param);
            }
            case DEPENDENCY_FAILURE -> {
                inc.primary = app.store;
                inc.affected.add(app.store);
                inc.affected.addAll(app.compute);
                inc.affected.add(app.alb);
                inc.affected.add(app.queue);
                inc.description = app.store.id + " turns 25x slower; two minutes later its callers time out: latency, 5xx and queue backlog upstream";
            }
            default -> throw new IllegalStateException(k.name());
        }
        incidents.add(inc);
    }

    private void addProactive(IncidentKind k, App app, int onset, int exhaustion, int end) {
        Incident inc = new Incident(k, app, onset, end);
        inc.exhaustion = exhaustion;
        switch (k) {
            case MEMORY_LEAK -> {
                SimResource db = app.store;
                inc.primary = db;
                inc.limit = new Limit("AWS/RDS", "FreeableMemory", "Minimum", 0, "Bytes", "no freeable memory left: the instance restarts");
                inc.description = "FreeableMemory of " + db.id + " falls linearly to 0; the instance restarts at exhaustion";
                failingCallers(inc, app);
            }
            case DISK_FILL -> {
                SimResource db = app.store;
                inc.primary = db;
                inc.limit = new Limit("AWS/RDS", "FreeStorageSpace", "Minimum", 0, "Bytes", "storage full: writes fail");
                inc.resolve = modifyDb(db, time(end) - 40_000, "allocatedStorage", (long) (db.allocatedBytes / (1L << 30)),
                        (long) (db.allocatedBytes / (1L << 30)) + 100, false);
                inc.description = "FreeStorageSpace of " + db.id + " falls linearly to 0; writes fail until storage is added";
                failingCallers(inc, app);
            }
            case DYNAMODB_CAPACITY_CREEP -> {
                SimResource t = app.store;
                inc.primary = t;
                double cap = t.provisionedWcu * 60;
                java.util.function.IntToDoubleFunction paramAt = c -> cap / MetricModel.expectedWriteUnits(app, model.expectedLoad(app, time(c)));
                int sizeAt = sizeCreep(onset, exhaustion, minutes - (end - exhaustion) - 5, paramAt,
                        (m, g) -> MetricModel.expectedWriteUnits(app, model.expectedLoad(app, time(m))) * g >= cap);
                inc.param = paramAt.applyAsDouble(sizeAt);
                inc.limit = new Limit("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", t.provisionedWcu * 60, "Count",
                        "provisioned write capacity: " + (long) t.provisionedWcu + " WCU per second = " + (long) (t.provisionedWcu * 60) + " units per minute");
                // With daily seasonality the limit is first reached at a busy hour: exhaustion is that first minute.
                inc.span = sizeAt - onset;
                for (int m = onset; m <= sizeAt; m++) {
                    double g = 1 + (inc.param - 1) * inc.progress(m);
                    if (MetricModel.expectedWriteUnits(app, model.expectedLoad(app, time(m))) * g >= t.provisionedWcu * 60) {
                        inc.exhaustion = m;
                        break;
                    }
                }
                inc.end = end = inc.exhaustion + (end - exhaustion);
                inc.resolve = updateTable(t, time(end) - 30_000, (long) t.provisionedRcu, (long) t.provisionedWcu * 2);
                inc.description = String.format("writes to %s grow %.1fx until they reach the provisioned capacity, then throttle until it is doubled",
                        t.id, 1 + (inc.param - 1) * inc.progress(inc.exhaustion));
            }
            case LAMBDA_CONCURRENCY_CREEP -> {
                SimResource fn = app.apiFunction();
                inc.primary = fn;
                double limit = fn.concurrencyLimit;
                java.util.function.IntToDoubleFunction paramAt = c -> {
                    double demand = app.baseRpm * model.expectedLoad(app, time(c));
                    return Math.max(1.5, ((limit - 1) * 1000 * 60 / (demand * 1.25)
                            - MetricModel.normalStoreLatencyMs(app) * MetricModel.STORE_CALLS_PER_REQUEST) / fn.base);
                };
                int sizeAt = sizeCreep(onset, exhaustion, minutes - (end - exhaustion) - 5, paramAt,
                        (m, g) -> MetricModel.expectedConcurrencyMax(fn, model.expectedLoad(app, time(m)), g) >= limit);
                inc.param = paramAt.applyAsDouble(sizeAt);
                inc.limit = new Limit("AWS/Lambda", "ConcurrentExecutions", "Maximum", limit, "Count", "account concurrency limit");
                inc.span = sizeAt - onset;
                for (int m = onset; m <= sizeAt; m++) {
                    double mult = 1 + (inc.param - 1) * inc.progress(m);
                    if (MetricModel.expectedConcurrencyMax(fn, model.expectedLoad(app, time(m)), mult) >= limit) {
                        inc.exhaustion = m;
                        break;
                    }
                }
                inc.end = end = inc.exhaustion + (end - exhaustion);
                inc.resolve = deployment(app, deploymentId(), end - 5, end);
                inc.description = String.format("%s slows down steadily (%.1fx at exhaustion), so its ConcurrentExecutions climb to the account limit of %d; throttles until a fix is deployed",
                        fn.id, 1 + (inc.param - 1) * inc.progress(inc.exhaustion), fn.concurrencyLimit);
            }
            default -> throw new IllegalStateException(k.name());
        }
        inc.affected.add(0, inc.primary);
        incidents.add(inc);
    }

    /**
     * Where a load-driven creep that starts at {@code onset} and is planned to meet its limit at {@code planned} is sized
     * to meet it (the minute at which its growth factor, {@code paramAt} of that minute, makes the expected value meet
     * the limit): the planned minute, unless the creep would then first meet its limit before the last quarter of the
     * run, at an earlier daily peak (sized at a quiet hour, the fleet's billing table met it at hour 32.7 of 72, its trend
     * only 27 hours old: too early for a day of history to tell it from the daily cycle a day ahead). Then the nearest
     * minute after the planned one (up to {@code last}), else before it, at which sizing makes the first crossing come
     * in the last quarter.
     */
    private int sizeCreep(int onset, int planned, int last, java.util.function.IntToDoubleFunction paramAt, CreepMeets meets) {
        int from = (int) (minutes * PROACTIVE_FROM);
        for (int c = planned; c <= last; c++) if (firstCrossing(onset, c, paramAt.applyAsDouble(c), meets) >= from) return c;
        for (int c = planned - 1; c > from; c--) if (firstCrossing(onset, c, paramAt.applyAsDouble(c), meets) >= from) return c;
        return planned;
    }

    /** Whether a creep's expected value at minute {@code m}, grown by {@code growth}, meets its limit. */
    @FunctionalInterface
    private interface CreepMeets {
        boolean test(int m, double growth);
    }

    /** The first minute at which a creep sized to grow by {@code param} by {@code sizeAt} meets its limit ({@code sizeAt + 1}: never before). */
    private static int firstCrossing(int onset, int sizeAt, double param, CreepMeets meets) {
        for (int m = onset; m <= sizeAt; m++) if (meets.test(m, 1 + (param - 1) * (m - onset) / (double) (sizeAt - onset))) return m;
        return sizeAt + 1;
    }

    /**
     * At exhaustion the database's errors reach its callers (compute, load balancer, queue backlog): they are affected
     * too, so that a reactive insight on them at exhaustion belongs to the incident.
     */
    private static void failingCallers(Incident inc, App app) {
        inc.affected.addAll(app.compute);
        inc.affected.add(app.alb);
        inc.affected.add(app.queue);
    }

    private void planNoise() {
        double days = scenario.days();
        int deploys = (int) Math.round(scenario.noopDeploysPerDay() * days);
        int configs = (int) Math.round(scenario.configChangesPerDay() * days);
        int blips = (int) Math.round(scenario.blipsPerDay() * days);
        for (int i = 0; i < deploys; i++) {
            App app = fleet.apps.get(planRnd.nextInt(fleet.apps.size()));
            int m = quietMinute(app, 10);
            if (m < 0) continue;
            EventRef ref = deployment(app, deploymentId(), m, m + 5 + planRnd.nextInt(4));
            noise.add(new Noise("NOOP_DEPLOYMENT", m, 6, app, null, null, 1, ref.id(), "deployment that changes nothing"));
        }
        for (int i = 0; i < configs; i++) {
            App app = fleet.apps.get(planRnd.nextInt(fleet.apps.size()));
            int m = quietMinute(app, 10);
            if (m < 0) continue;
            long t = time(m) + planRnd.nextInt(60_000);
            int what = planRnd.nextInt(5);
            if (what == 0 && app.lambda) {
                SimResource fn = app.compute.get(planRnd.nextInt(app.compute.size()));
                EventRef ref = functionConfig(fn, t, fn.memoryMb, 30);
                noise.add(new Noise("ROUTINE_CONFIG_CHANGE", m, 0, app, fn, null, 1, ref.id(), "UpdateFunctionConfiguration with unchanged memory and timeout"));
            } else if (what <= 1 && app.rds) {
                EventRef ref = modifyDb(app.store, t, "backupRetentionPeriod", 7, 14, true);
                noise.add(new Noise("ROUTINE_CONFIG_CHANGE", m, 0, app, app.store, null, 1, ref.id(), "ModifyDBInstance backupRetentionPeriod 7 -> 14"));
            } else if (what <= 2 && !app.rds) {
                SimResource tb = app.store;
                EventRef ref = updateTable(tb, t, (long) tb.provisionedRcu, (long) tb.provisionedWcu);
                noise.add(new Noise("ROUTINE_CONFIG_CHANGE", m, 0, app, tb, null, 1, ref.id(), "UpdateTable with unchanged provisioned throughput"));
            } else if (what == 3) {
                SimResource r = app.compute.get(planRnd.nextInt(app.compute.size()));
                EventRef ref = r.kind == Fleet.Kind.EC2 ? createTags(r, t) : queueAttributes(app, t);
                noise.add(new Noise("ROUTINE_CONFIG_CHANGE", m, 0, app, r.kind == Fleet.Kind.EC2 ? r : app.queue, null, 1, ref.id(),
                        r.kind == Fleet.Kind.EC2 ? "CreateTags on the instance" : "Config: queue VisibilityTimeout 30 -> 60"));
            } else {
                String evId = Fleet.uuid(eventRnd);
                ObjectNode req = ChangeEvents.obj();
                boolean ec2 = !app.lambda;
                if (ec2) {
                    req.putObject("instancesSet");
                    req.putObject("filterSet");
                } else {
                    req.put("maxItems", 50);
                }
                addEvent(t, ChangeEvents.cloudTrail(eventRnd, Fleet.uuid(eventRnd), evId, ec2 ? "ec2" : "lambda",
                        ec2 ? "DescribeInstances" : "ListFunctions20150331", t, req, null, true, "ops-dashboard"), 60_000);
                noise.add(new Noise("READ_ONLY_CALL", m, 0, app, null, null, 1, evId, "read-only call (ignored by the parser)"));
            }
        }
        for (int i = 0; i < blips; i++) {
            App app = fleet.apps.get(planRnd.nextInt(fleet.apps.size()));
            int m = quietMinute(app, 30);
            if (m < 0) continue;
            List<SimResource> rs = app.resources();
            SimResource r = rs.get(planRnd.nextInt(rs.size()));
            String metric = switch (r.kind) {
                case ALB -> "TargetResponseTime";
                case LAMBDA -> "Duration";
                case EC2 -> "CPUUtilization";
                case RDS -> "ReadLatency";
                case DYNAMODB -> "SuccessfulRequestLatency";
                case SQS -> "ApproximateAgeOfOldestMessage";
            };
            double factor = r.kind == Fleet.Kind.EC2 ? 1.6 + planRnd.nextDouble() * 0.4 : 2 + planRnd.nextDouble() * 2;
            noise.add(new Noise("BLIP", m, 1 + planRnd.nextInt(3), app, r, metric, factor, null, "short harmless spike"));
        }
        noise.sort(Comparator.comparingInt(Noise::minute));
    }

    /**
     * How the fleet's stacks and tags show in the change events, so that coverage can learn them: in the first minutes,
     * every application's stack is updated (CloudTrail UpdateStack, with the stack tags: {@code team}, and
     * {@code devops-guru-app} for tagged applications); CloudFormation propagates the stack tags to every resource with
     * the services' own tag calls (invoked by cloudformation.amazonaws.com) and reports every resource UPDATE_COMPLETE
     * (EventBridge "CloudFormation Resource Status Change", which names the resource's stack). A separate random
     * stream, so that the rest of the output does not depend on it.
     */
    private void planMemberships(Random rnd) {
        for (int i = 0; i < fleet.apps.size(); i++) {
            App app = fleet.apps.get(i);
            long t0 = time(1) + i * 20_000L + rnd.nextInt(5_000);
            String stackArn = "arn:aws:cloudformation:" + Fleet.REGION + ":" + Fleet.ACCOUNT + ":stack/" + app.stack + "/" + Fleet.uuid(rnd);
            String token = "Console-UpdateStack-" + Fleet.uuid(rnd);
            java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
            tags.put("team", app.name + "-team");
            if (app.tag != null) tags.put("devops-guru-app", app.tag);

            ObjectNode req = ChangeEvents.obj();
            req.put("stackName", app.stack);
            req.put("usePreviousTemplate", true);
            ArrayNode stackTags = req.putArray("tags");
            tags.forEach((k, v) -> stackTags.addObject().put("key", k).put("value", v));
            req.put("clientRequestToken", token);
            ObjectNode resp = ChangeEvents.obj();
            resp.put("stackId", stackArn);
            addEvent(t0, ChangeEvents.cloudTrail(rnd, Fleet.uuid(rnd), Fleet.uuid(rnd), "cloudformation", "UpdateStack", t0, req, resp, false, "deployer"),
                    60_000, rnd);

            List<Object[]> members = new ArrayList<>(); // logical id, physical id, type, resource (null: the CodeDeploy application)
            members.add(new Object[] {"LoadBalancer", app.alb.arn(), "AWS::ElasticLoadBalancingV2::LoadBalancer", app.alb});
            for (int c = 0; c < app.compute.size(); c++) {
                SimResource r = app.compute.get(c);
                members.add(new Object[] {(r.kind == Fleet.Kind.LAMBDA ? (c == 0 ? "ApiFunction" : "WorkerFunction") : "Instance") + (c < 2 ? "" : String.valueOf(c)),
                        r.id, r.kind == Fleet.Kind.LAMBDA ? "AWS::Lambda::Function" : "AWS::EC2::Instance", r});
            }
            members.add(new Object[] {app.rds ? "Database" : "Table", app.store.id, app.rds ? "AWS::RDS::DBInstance" : "AWS::DynamoDB::Table", app.store});
            members.add(new Object[] {"JobsQueue", "https://sqs." + Fleet.REGION + ".amazonaws.com/" + Fleet.ACCOUNT + "/" + app.queue.id,
                    "AWS::SQS::Queue", app.queue});
            members.add(new Object[] {"CodeDeployApplication", app.name, "AWS::CodeDeploy::Application", null});
            for (int k = 0; k < members.size(); k++) {
                Object[] m = members.get(k);
                long tag = t0 + 20_000 + k * 1_500L, done = t0 + 40_000 + k * 1_500L;
                addEvent(tag, tagCall(rnd, (SimResource) m[3], app, tags, tag), 60_000, rnd);
                addEvent(done, ChangeEvents.cloudFormationResource(Fleet.uuid(rnd), stackArn, (String) m[0], (String) m[1], (String) m[2],
                        "UPDATE_COMPLETE", done, token), 30_000, rnd);
            }
        }
    }

    /** The service's own tag call for a resource (r null: the CodeDeploy application), as CloudFormation makes it. */
    private static ObjectNode tagCall(Random rnd, SimResource r, App app, java.util.Map<String, String> tags, long t) {
        ObjectNode req = ChangeEvents.obj();
        String service, name;
        if (r == null) {
            service = "codedeploy";
            name = "TagResource";
            req.put("resourceArn", "arn:aws:codedeploy:" + Fleet.REGION + ":" + Fleet.ACCOUNT + ":application:" + app.name);
            ArrayNode l = req.putArray("tags");
            tags.forEach((k, v) -> l.addObject().put("key", k).put("value", v));
        } else {
            switch (r.kind) {
                case ALB -> {
                    service = "elasticloadbalancing";
                    name = "AddTags";
                    req.putArray("resourceArns").add(r.arn());
                    ArrayNode l = req.putArray("tags");
                    tags.forEach((k, v) -> l.addObject().put("key", k).put("value", v));
                }
                case LAMBDA -> {
                    service = "lambda";
                    name = "TagResource20170331v2";
                    req.put("resource", r.arn());
                    ObjectNode m = req.putObject("tags");
                    tags.forEach(m::put);
                }
                case EC2 -> {
                    service = "ec2";
                    name = "CreateTags";
                    req.putObject("resourcesSet").putArray("items").addObject().put("resourceId", r.id);
                    ArrayNode l = req.putObject("tagSet").putArray("items");
                    tags.forEach((k, v) -> l.addObject().put("key", k).put("value", v));
                }
                case RDS -> {
                    service = "rds";
                    name = "AddTagsToResource";
                    req.put("resourceName", r.arn());
                    ArrayNode l = req.putArray("tags");
                    tags.forEach((k, v) -> l.addObject().put("key", k).put("value", v));
                }
                case DYNAMODB -> {
                    service = "dynamodb";
                    name = "TagResource";
                    req.put("resourceArn", r.arn());
                    ArrayNode l = req.putArray("tags");
                    tags.forEach((k, v) -> l.addObject().put("key", k).put("value", v));
                }
                default -> {
                    service = "sqs";
                    name = "TagQueue";
                    req.put("queueUrl", "https://sqs." + Fleet.REGION + ".amazonaws.com/" + Fleet.ACCOUNT + "/" + r.id);
                    ObjectNode m = req.putObject("tags");
                    tags.forEach(m::put);
                }
            }
        }
        return ChangeEvents.cloudTrailByCloudFormation(rnd, Fleet.uuid(rnd), Fleet.uuid(rnd), service, name, t, req, null, "deployer");
    }

    /** A minute at least 2 hours into the run and away from the application's incidents, or -1. */
    private int quietMinute(App app, int margin) {
        for (int tries = 0; tries < 50; tries++) {
            int m = 120 + planRnd.nextInt(Math.max(1, minutes - 150));
            boolean clash = false;
            for (Incident i : incidents) {
                if (i.app != app) continue;
                int from = i.busyFrom() - 90, to = i.end + 30;
                if (m + margin >= from && m <= to) clash = true;
            }
            if (!clash) return m;
        }
        return -1;
    }

    // ---- change events ------------------------------------------------------------------------------------------

    private String deploymentId() {
        StringBuilder sb = new StringBuilder("d-");
        String cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 9; i++) sb.append(cs.charAt(planRnd.nextInt(cs.length())));
        return sb.toString();
    }

    private void addEvent(long time, ObjectNode event, int maxDelayMs) {
        addEvent(time, event, maxDelayMs, eventRnd);
    }

    private void addEvent(long time, ObjectNode event, int maxDelayMs, Random rnd) {
        long delivery = time + (maxDelayMs <= 0 ? 0 : rnd.nextInt(maxDelayMs));
        events.add(new Pending(delivery, eventSeq++, event.toString()));
    }

    /** START at minute {@code startMinute}, SUCCESS at {@code endMinute}; returns the START event. */
    private EventRef deployment(App app, String dep, int startMinute, int endMinute) {
        String group = Fleet.uuid(eventRnd);
        long t0 = time(startMinute) + eventRnd.nextInt(50_000), t1 = time(endMinute) - 60_000 + eventRnd.nextInt(50_000);
        String env0 = Fleet.uuid(eventRnd), env1 = Fleet.uuid(eventRnd);
        addEvent(t0, ChangeEvents.codeDeploy(env0, app, dep, "START", t0, group), 20_000);
        addEvent(t1, ChangeEvents.codeDeploy(env1, app, dep, "SUCCESS", t1, group), 20_000);
        String arn = io.augur.ops.resource.ResourceIdentities.codeDeployDeploymentGroup(Fleet.ACCOUNT, Fleet.REGION, app.name, app.deploymentGroup()).getArn().toString();
        return new EventRef("codedeploy:" + dep + ":START", env0, "CodeDeploy deployment START", t0 / 1000 * 1000, arn);
    }

    private EventRef functionConfig(SimResource fn, long t, int memory, int timeout) {
        String evId = Fleet.uuid(eventRnd), env = Fleet.uuid(eventRnd);
        ObjectNode req = ChangeEvents.obj();
        req.put("functionName", fn.id);
        req.put("timeout", timeout);
        req.put("memorySize", memory);
        req.putObject("environment").put("variables", "HIDDEN_DUE_TO_SECURITY_REASONS");
        ObjectNode resp = ChangeEvents.obj();
        resp.put("functionName", fn.id);
        resp.put("functionArn", fn.arn());
        resp.put("runtime", "python3.12");
        resp.put("handler", "app.handler");
        resp.put("timeout", timeout);
        resp.put("memorySize", memory);
        resp.put("lastModified", java.time.Instant.ofEpochMilli(t / 1000 * 1000).toString().replace("Z", ".000+0000"));
        resp.put("version", "$LATEST");
        resp.put("state", "Active");
        resp.put("lastUpdateStatus", "InProgress");
        addEvent(t, ChangeEvents.cloudTrail(eventRnd, env, evId, "lambda", "UpdateFunctionConfiguration20150331v2", t, req, resp, false, "jane.doe"), 240_000);
        return new EventRef(evId, env, "UpdateFunctionConfiguration20150331v2", t / 1000 * 1000, fn.arn());
    }

    private EventRef modifyDb(SimResource db, long t, String field, Object from, Object to, boolean withConfigItem) {
        String evId = Fleet.uuid(eventRnd), env = Fleet.uuid(eventRnd);
        ObjectNode req = ChangeEvents.obj();
        req.put("dBInstanceIdentifier", db.id);
        req.putPOJO(field, to);
        req.put("applyImmediately", true);
        ObjectNode resp = ChangeEvents.obj();
        resp.put("dBInstanceIdentifier", db.id);
        resp.put("dBInstanceClass", field.equals("dBInstanceClass") ? from.toString() : db.instanceClass);
        resp.put("engine", "postgres");
        resp.put("dBInstanceStatus", "available");
        resp.put("dBInstanceArn", db.arn());
        resp.putObject("pendingModifiedValues").putPOJO(field, to);
        addEvent(t, ChangeEvents.cloudTrail(eventRnd, env, evId, "rds", "ModifyDBInstance", t, req, resp, false, "ops-admin"), 240_000);
        if (withConfigItem) {
            long capture = t + 120_000 + eventRnd.nextInt(60_000);
            ObjectNode conf = ChangeEvents.obj();
            conf.put("dBInstanceIdentifier", db.id);
            conf.putPOJO(field, to);
            conf.put("engine", "postgres");
            conf.put("dBInstanceArn", db.arn());
            String property = "Configuration." + Character.toUpperCase(field.charAt(0)) + field.substring(1);
            addEvent(capture, ChangeEvents.configChange(Fleet.uuid(eventRnd), "AWS::RDS::DBInstance", "db-" + Fleet.hex(eventRnd, 26).toUpperCase(),
                    db.id, db.arn(), capture, property, from, to, conf, db.app, evId), 300_000);
        }
        return new EventRef(evId, env, "ModifyDBInstance", t / 1000 * 1000, db.arn());
    }

    private EventRef updateTable(SimResource table, long t, long rcu, long wcu) {
        String evId = Fleet.uuid(eventRnd), env = Fleet.uuid(eventRnd);
        ObjectNode req = ChangeEvents.obj();
        req.put("tableName", table.id);
        ObjectNode pt = req.putObject("provisionedThroughput");
        pt.put("readCapacityUnits", rcu);
        pt.put("writeCapacityUnits", wcu);
        ObjectNode resp = ChangeEvents.obj();
        ObjectNode desc = resp.putObject("tableDescription");
        desc.put("tableName", table.id);
        desc.put("tableArn", table.arn());
        desc.put("tableStatus", "UPDATING");
        addEvent(t, ChangeEvents.cloudTrail(eventRnd, env, evId, "dynamodb", "UpdateTable", t, req, resp, false, "ops-admin"), 240_000);
        return new EventRef(evId, env, "UpdateTable", t / 1000 * 1000, table.arn());
    }

    private EventRef createTags(SimResource instance, long t) {
        String evId = Fleet.uuid(eventRnd), env = Fleet.uuid(eventRnd);
        ObjectNode req = ChangeEvents.obj();
        req.putObject("resourcesSet").putArray("items").addObject().put("resourceId", instance.id);
        ObjectNode tag = req.putObject("tagSet").putArray("items").addObject();
        tag.put("key", "cost-center");
        tag.put("value", "cc-" + (100 + eventRnd.nextInt(900)));
        ObjectNode resp = ChangeEvents.obj();
        resp.put("_return", true);
        addEvent(t, ChangeEvents.cloudTrail(eventRnd, env, evId, "ec2", "CreateTags", t, req, resp, false, "tagger"), 240_000);
        return new EventRef(evId, env, "CreateTags", t / 1000 * 1000, instance.arn());
    }

    private EventRef queueAttributes(App app, long t) {
        SimResource q = app.queue;
        ObjectNode conf = ChangeEvents.obj();
        conf.put("QueueUrl", "https://sqs." + Fleet.REGION + ".amazonaws.com/" + Fleet.ACCOUNT + "/" + q.id);
        conf.put("VisibilityTimeout", "60");
        addEvent(t, ChangeEvents.configChange(Fleet.uuid(eventRnd), "AWS::SQS::Queue", "https://sqs." + Fleet.REGION + ".amazonaws.com/"
                + Fleet.ACCOUNT + "/" + q.id, q.id, q.arn(), t, "Configuration.VisibilityTimeout", "30", "60", conf, app, null), 300_000);
        String captured = java.time.Instant.ofEpochMilli(t).toString();
        return new EventRef("config:AWS::SQS::Queue:https://sqs." + Fleet.REGION + ".amazonaws.com/" + Fleet.ACCOUNT + "/" + q.id + ":" + captured,
                null, "Config UPDATE AWS::SQS::Queue", t, q.arn());
    }

    // ---- generation ---------------------------------------------------------------------------------------------

    public Summary write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random valueRnd = new Random(mix(seed, 4)), deliveryRnd = new Random(mix(seed, 5));
        long[] counts = new long[5]; // lines, datapoints, dropped, late, duplicated
        List<SimResource> all = fleet.resources();
        java.util.Set<String> series = new java.util.TreeSet<>();
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(dir.resolve(METRICS_FILE)), StandardCharsets.UTF_8), 1 << 20)) {
            List<Pending> pending = new ArrayList<>();
            long[] seq = {0};
            StringBuilder sb = new StringBuilder(512);
            int[] current = {0};
            MetricModel.Sink sink = (r, dims, metric, unit, min, max, sum, count, pct) -> {
                counts[1]++;
                if (current[0] == 0) series.add(r.namespace + "|" + metric + "|" + dims);
                sb.setLength(0);
                line(sb, r, dims, metric, unit, time(current[0]), min, max, sum, count, pct);
                String line = sb.toString();
                double x = deliveryRnd.nextDouble();
                try {
                    if (x < scenario.dropRate()) {
                        counts[2]++;
                        return;
                    }
                    if (x < scenario.dropRate() + scenario.lateRate()) {
                        counts[3]++;
                        pending.add(new Pending(current[0] + 2 + deliveryRnd.nextInt(4), seq[0]++, line)); // 2-5 minutes late
                    } else {
                        w.write(line);
                        w.write('\n');
                        counts[0]++;
                    }
                    if (deliveryRnd.nextDouble() < scenario.duplicateRate()) {
                        counts[4]++;
                        pending.add(new Pending(current[0] + 1, seq[0]++, line));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            int noiseIdx = 0;
            List<Noise> activeBlips = new ArrayList<>();
            for (int m = 0; m < minutes; m++) {
                current[0] = m;
                for (App a : fleet.apps) a.effects.reset();
                for (SimResource r : all) r.effects.reset();
                for (Incident i : incidents) i.apply(m);
                while (noiseIdx < noise.size() && noise.get(noiseIdx).minute() <= m) {
                    Noise n = noise.get(noiseIdx++);
                    if (n.kind().equals("BLIP")) activeBlips.add(n);
                }
                for (Noise b : activeBlips) {
                    if (m < b.minute() + b.minutes()) {
                        b.resource().effects.blipMetric = b.metric();
                        b.resource().effects.blipMult = b.factor();
                    }
                }
                final int now = m;
                activeBlips.removeIf(b -> now + 1 >= b.minute() + b.minutes());
                for (App a : fleet.apps) model.minute(a, m, time(m), valueRnd, sink);
                flush(pending, m, w, counts);
            }
            flush(pending, Long.MAX_VALUE, w, counts);
        }

        events.sort(Comparator.comparingLong(Pending::order).thenComparingLong(Pending::seq));
        List<String> eventLines = new ArrayList<>();
        for (Pending p : events) eventLines.add(p.line());
        // EventBridge delivers at least once: one event arrives twice.
        if (!eventLines.isEmpty() && scenario.duplicateRate() > 0) {
            int i = eventRnd.nextInt(eventLines.size());
            eventLines.add(Math.min(eventLines.size(), i + 3), eventLines.get(i));
        }
        Files.write(dir.resolve(EVENTS_FILE), eventLines, StandardCharsets.UTF_8);

        Summary summary = new Summary(dir, fleet.apps.size(), all.size(), series.size(), counts[0], counts[1], counts[2], counts[3], counts[4],
                eventLines.size(), incidents.size(), noise.size());
        writeGroundTruth(dir.resolve(GROUND_TRUTH_FILE), summary);
        return summary;
    }

    private static void flush(List<Pending> pending, long upTo, Writer w, long[] counts) throws IOException {
        if (pending.isEmpty()) return;
        List<Pending> due = new ArrayList<>();
        for (Pending p : pending) if (p.order() <= upTo) due.add(p);
        if (due.isEmpty()) return;
        pending.removeAll(due);
        due.sort(Comparator.comparingLong(Pending::order).thenComparingLong(Pending::seq));
        for (Pending p : due) {
            w.write(p.line());
            w.write('\n');
            counts[0]++;
        }
    }

    private static void line(StringBuilder sb, SimResource r, Map<String, String> dims, String metric, String unit, long ts,
                             double min, double max, double sum, double count, double[] pct) {
        sb.append("{\"metric_stream_name\":\"").append(STREAM_NAME).append("\",\"account_id\":\"").append(Fleet.ACCOUNT)
                .append("\",\"region\":\"").append(Fleet.REGION).append("\",\"namespace\":\"").append(r.namespace)
                .append("\",\"metric_name\":\"").append(metric).append("\",\"dimensions\":{");
        boolean first = true;
        for (Map.Entry<String, String> d : dims.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(d.getKey()).append("\":\"").append(d.getValue()).append('"');
        }
        sb.append("},\"timestamp\":").append(ts).append(",\"value\":{\"max\":").append(num(Math.max(min, max)))
                .append(",\"min\":").append(num(min)).append(",\"sum\":").append(num(sum)).append(",\"count\":").append(num(count));
        if (pct != null) {
            sb.append(",\"p50\":").append(num(pct[0])).append(",\"p90\":").append(num(pct[1])).append(",\"p99\":").append(num(pct[2]));
        }
        sb.append("},\"unit\":\"").append(unit).append("\"}");
    }

    /** Six significant digits, plain notation, no trailing zeros: deterministic and compact. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(SIX).stripTrailingZeros().toPlainString();
    }

    // ---- ground truth -------------------------------------------------------------------------------------------

    private void writeGroundTruth(Path file, Summary s) throws IOException {
        ObjectNode root = ChangeEvents.obj();
        root.put("generator", "augur simulate");
        root.put("scenario", scenario.name());
        root.put("seed", seed);
        root.put("start", ChangeEvents.iso(start));
        root.put("startEpochMs", start);
        root.put("end", ChangeEvents.iso(time(minutes)));
        root.put("endEpochMs", time(minutes));
        root.put("days", scenario.days());
        root.put("periodSeconds", 60);
        root.put("account", Fleet.ACCOUNT);
        root.put("region", Fleet.REGION);
        ObjectNode files = root.putObject("files");
        files.put("metrics", METRICS_FILE);
        files.put("events", EVENTS_FILE);
        ObjectNode counts = root.putObject("counts");
        counts.put("applications", s.applications());
        counts.put("resources", s.resources());
        counts.put("series", s.series());
        counts.put("datapoints", s.datapoints());
        counts.put("metricLines", s.metricLines());
        counts.put("droppedDatapoints", s.dropped());
        counts.put("lateDatapoints", s.late());
        counts.put("duplicatedDatapoints", s.duplicated());
        counts.put("eventLines", s.eventLines());
        counts.put("incidents", s.incidents());
        counts.put("noise", s.noise());

        ArrayNode apps = root.putArray("applications");
        for (App a : fleet.apps) {
            ObjectNode o = apps.addObject();
            o.put("name", a.name);
            o.put("stack", a.stack);
            o.put("stackArn", io.augur.ops.resource.ResourceIdentities.cloudFormationStack(Fleet.ACCOUNT, Fleet.REGION, a.stack).getArn().toString());
            if (a.tag == null) o.putNull("tag");
            else o.putObject("tag").put("key", "devops-guru-app").put("value", a.tag);
            o.put("compute", a.lambda ? "LAMBDA" : "EC2");
            o.put("store", a.rds ? "RDS" : "DYNAMODB");
            o.put("codeDeployApplication", a.name);
            o.put("deploymentGroup", a.deploymentGroup());
            ArrayNode rs = o.putArray("resources");
            for (SimResource r : a.resources()) {
                ObjectNode ro = rs.addObject();
                ro.put("type", r.identity.getType().toString());
                ro.put("name", r.identity.getName().toString());
                ro.put("arn", r.arn());
                ro.put("namespace", r.namespace);
                ObjectNode dims = ro.putObject("dimensions");
                for (Map.Entry<String, String> d : r.dims.entrySet()) dims.put(d.getKey(), d.getValue());
                ArrayNode ms = ro.putArray("metrics");
                for (String m : MetricModel.metricNames(r.kind)) ms.add(m);
                if (r.kind == Fleet.Kind.LAMBDA) ro.put("concurrencyLimit", r.concurrencyLimit).put("reservedConcurrency", r.reserved);
                if (r.kind == Fleet.Kind.DYNAMODB) ro.put("provisionedReadCapacityUnits", (long) r.provisionedRcu).put("provisionedWriteCapacityUnits", (long) r.provisionedWcu);
                if (r.kind == Fleet.Kind.RDS) ro.put("instanceClass", r.instanceClass).put("allocatedStorageBytes", (long) r.allocatedBytes)
                        .put("memoryBytes", (long) r.memTotalBytes);
            }
        }

        ArrayNode incs = root.putArray("incidents");
        for (Incident i : incidents) {
            ObjectNode o = incs.addObject();
            o.put("id", i.id);
            o.put("kind", i.kind.name());
            o.put("expectedInsight", i.kind.insight.name());
            o.put("description", i.description);
            o.put("onset", ChangeEvents.iso(time(i.onset)));
            o.put("onsetEpochMs", time(i.onset));
            o.put("end", ChangeEvents.iso(time(i.end)));
            o.put("endEpochMs", time(i.end));
            o.put("durationMinutes", i.end - i.onset);
            o.put("application", i.app.name);
            o.put("stack", i.app.stack);
            o.put("primaryResource", i.primary.arn());
            ArrayNode aff = o.putArray("affectedResources");
            for (SimResource r : i.affected) aff.add(r.arn());
            eventRef(o, "cause", i.cause);
            eventRef(o, "resolve", i.resolve);
            if (i.kind.proactive()) {
                o.put("exhaustion", ChangeEvents.iso(time(i.exhaustion)));
                o.put("exhaustionEpochMs", time(i.exhaustion));
                ObjectNode l = o.putObject("limit");
                l.put("namespace", i.limit.namespace());
                l.put("metricName", i.limit.metricName());
                ObjectNode dims = l.putObject("dimensions");
                for (Map.Entry<String, String> d : i.primary.dims.entrySet()) dims.put(d.getKey(), d.getValue());
                l.put("stat", i.limit.stat());
                l.put("value", i.limit.value());
                l.put("unit", i.limit.unit());
                l.put("description", i.limit.description());
                // what the trend itself moves from its onset (a reactive anomaly there is this incident, not a false one)
                ArrayNode trend = o.putArray("trendSignals");
                trend.addObject().put("resource", i.primary.arn()).put("metric", i.limit.metricName());
                if (i.kind == IncidentKind.LAMBDA_CONCURRENCY_CREEP) {
                    // the creep is the function slowing down: its Duration, and the load balancer's response time in front of it
                    trend.addObject().put("resource", i.primary.arn()).put("metric", "Duration");
                    trend.addObject().put("resource", i.app.alb.arn()).put("metric", "TargetResponseTime");
                }
            } else {
                o.putNull("exhaustion");
                o.putNull("exhaustionEpochMs");
                o.putNull("limit");
            }
        }

        ArrayNode ns = root.putArray("noise");
        for (Noise n : noise) {
            ObjectNode o = ns.addObject();
            o.put("kind", n.kind());
            o.put("time", ChangeEvents.iso(time(n.minute())));
            o.put("timeEpochMs", time(n.minute()));
            o.put("durationMinutes", n.minutes());
            o.put("application", n.app().name);
            if (n.resource() == null) o.putNull("resource");
            else o.put("resource", n.resource().arn());
            if (n.metric() == null) o.putNull("metric");
            else o.put("metric", n.metric());
            if (n.eventId() == null) o.putNull("eventId");
            else o.put("eventId", n.eventId());
            o.put("description", n.detail());
        }

        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        pp.indentArraysWith(new DefaultIndenter("  ", "\n"));
        Files.writeString(file, ChangeEvents.JSON.writer(pp).writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    private static void eventRef(ObjectNode o, String prefix, EventRef ref) {
        if (ref == null) {
            o.putNull(prefix + "EventId");
            o.putNull(prefix + "EventName");
            o.putNull(prefix + "EventTime");
            o.putNull(prefix + "EventTimeEpochMs");
            o.putNull(prefix + "EventBridgeId");
            o.putNull(prefix + "EventResource");
            return;
        }
        o.put(prefix + "EventId", ref.id());
        o.put(prefix + "EventName", ref.name());
        o.put(prefix + "EventTime", ChangeEvents.iso(ref.time()));
        o.put(prefix + "EventTimeEpochMs", ref.time());
        if (ref.envelopeId() == null) o.putNull(prefix + "EventBridgeId");
        else o.put(prefix + "EventBridgeId", ref.envelopeId());
        o.put(prefix + "EventResource", ref.resourceArn());
    }
}
