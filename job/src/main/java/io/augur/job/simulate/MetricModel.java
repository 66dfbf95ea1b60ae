package io.augur.job.simulate;

import io.augur.job.simulate.Fleet.App;
import io.augur.job.simulate.Fleet.SimResource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How every metric behaves, minute by minute. One load signal per application (daily and weekly seasonality, a slow
 * trend, AR(1) noise, surges) drives every tier: ALB requests, Lambda invocations or EC2 CPU, database CPU and
 * capacity, queue inflow. Latency and errors flow upstream: a slow database slows the functions calling it, which
 * slows the load balancer; failing consumers grow the queue.
 *
 * <p>Statistics follow CloudWatch: per-event metrics (Lambda Invocations, Errors, Throttles; DynamoDB capacity and
 * latency; ALB TargetResponseTime) have one sample per request, so {@code count} is the number of requests and
 * {@code sum = average · count}; per-node counts (ALB RequestCount, HTTPCode_Target_5XX_Count) have one sample per
 * load balancer node; EC2 (detailed monitoring), RDS and SQS publish one sample a minute ({@code min = max = sum}).
 */
final class MetricModel {
    static final double READ_UNITS_PER_REQUEST = 2.0;
    static final double WRITE_UNITS_PER_REQUEST = 0.5;
    static final double QUEUE_MESSAGES_PER_REQUEST = 0.3;
    static final double STORE_CALLS_PER_REQUEST = 3;
    static final int ALB_NODES = 2;
    private static final double[] NO_PCT = null;

    /** Receives every datapoint of a minute. {@code pct} is {p50, p90, p99} or null. */
    interface Sink {
        void datapoint(SimResource r, Map<String, String> dims, String metric, String unit,
                       double min, double max, double sum, double count, double[] pct);
    }

    private final long start;

    MetricModel(long start) {
        this.start = start;
    }

    /** The application's load (1 = its daily mean on a weekday at the start) without noise or incidents. */
    double expectedLoad(App app, long ts) {
        double hour = Math.floorMod(ts, 86_400_000L) / 3_600_000.0 + app.phaseHours;
        double daily = 1 + 0.45 * Math.sin(2 * Math.PI * (hour - 8) / 24); // peak at 14:00, trough at 02:00
        int dow = (int) Math.floorMod(Math.floorDiv(ts, 86_400_000L) + 3, 7L); // 0 = Monday
        double weekly = dow >= 5 ? 0.72 : 1.0;
        return daily * weekly * (1 + app.trendPerDay * (ts - start) / 86_400_000.0);
    }

    static double normalStoreLatencyMs(App app) {
        return app.rds ? 1.3 : 4.2;
    }

    /** Expected ConcurrentExecutions maximum of a function at a load, with its duration multiplied by {@code mult}. */
    static double expectedConcurrencyMax(SimResource fn, double load, double mult) {
        App app = fn.app;
        double demand = fn.worker ? app.baseRpm * load * QUEUE_MESSAGES_PER_REQUEST / Math.max(1, app.compute.size() - 1) : app.baseRpm * load;
        double dur = fn.base * mult + normalStoreLatencyMs(app) * STORE_CALLS_PER_REQUEST;
        return demand / 60 * dur / 1000 * 1.25 + 1;
    }

    /** Expected ConsumedWriteCapacityUnits per minute of a table at a load. */
    static double expectedWriteUnits(App app, double load) {
        return app.baseRpm * load * WRITE_UNITS_PER_REQUEST;
    }

    /** Emits one minute of datapoints of every resource of {@code app}. */
    void minute(App app, int m, long ts, Random rnd, Sink out) {
        app.noise = 0.93 * app.noise + 0.02 * rnd.nextGaussian();
        double load = expectedLoad(app, ts) * Math.exp(app.noise) * app.effects.loadMult;
        double reqs = app.baseRpm * load;

        // ---- data store
        double storeLatMs, storeErr;
        SimResource s = app.store;
        Effects se = s.effects;
        if (s.kind == Fleet.Kind.RDS) {
            double cpu = clamp((6 + 22 * load) * se.classFactor + se.cpuAdd + 1.5 * rnd.nextGaussian(), 1, 100);
            double latRatio = (1 + 3 * Math.pow(cpu / 100, 4)) * se.latencyMult;
            double readLat = Math.max(0.0002, 0.0012 * latRatio * (1 + 0.06 * rnd.nextGaussian())) * se.blip("ReadLatency");
            double dbLoad = Math.max(0.05, (0.25 + 0.9 * load) * Math.pow(latRatio, 0.8) * (1 + 0.08 * rnd.nextGaussian()));
            double conns = Math.round(Math.min(1000, (12 + 18 * load) * Math.sqrt(latRatio) * (1 + 0.03 * rnd.nextGaussian())));
            double memNormal = s.memTotalBytes * s.freeMemFraction / se.classFactor;
            double freeMem = Double.isNaN(se.memFraction)
                    ? memNormal * (1 + 0.004 * rnd.nextGaussian())
                    : memNormal * se.memFraction * (1 + 0.004 * rnd.nextGaussian()) + 24e6 * (1 + 0.2 * Math.abs(rnd.nextGaussian()));
            double storageNormal = s.freeStorage0 - s.storageGrowthPerMin * m;
            double freeSto = Double.isNaN(se.storageFraction)
                    ? storageNormal + 4e6 * rnd.nextGaussian()
                    : storageNormal * se.storageFraction + 16e6 * (1 + 0.2 * Math.abs(rnd.nextGaussian()));
            single(out, s, "CPUUtilization", "Percent", cpu);
            single(out, s, "DatabaseConnections", "Count", conns);
            single(out, s, "FreeStorageSpace", "Bytes", Math.round(freeSto));
            single(out, s, "FreeableMemory", "Bytes", Math.round(freeMem));
            single(out, s, "ReadLatency", "Seconds", readLat);
            single(out, s, "DBLoad", "None", dbLoad);
            storeLatMs = readLat * 1000;
            storeErr = se.errorRate + (cpu >= 99 ? 0.02 : 0);
        } else {
            double reads = reqs * READ_UNITS_PER_REQUEST * (1 + 0.04 * rnd.nextGaussian());
            double writes = reqs * WRITE_UNITS_PER_REQUEST * se.capacityGrowth * (1 + 0.04 * rnd.nextGaussian());
            double rCap = s.provisionedRcu * 60, wCap = s.provisionedWcu * 60 * se.capacityMult;
            double consumedR = Math.min(reads, rCap), consumedW = Math.min(writes, wCap);
            double throttled = Math.round(Math.max(0, reads - rCap) / 1.6 + Math.max(0, writes - wCap) / 1.2);
            double readReqs = Math.max(1, Math.round(consumedR / 1.6)), writeReqs = Math.max(1, Math.round(consumedW / 1.2));
            double lat = 4.2 * se.latencyMult * (1 + 0.06 * rnd.nextGaussian()) * se.blip("SuccessfulRequestLatency");
            out.datapoint(s, s.dims, "ConsumedReadCapacityUnits", "Count", 0.5, 4, round(consumedR, 1), readReqs, NO_PCT);
            out.datapoint(s, s.dims, "ConsumedWriteCapacityUnits", "Count", 1, 3, round(consumedW, 1), writeReqs, NO_PCT);
            // CloudWatch's provisioned capacity of the table (units per second), what the consumed capacity meets
            double pr = s.provisionedRcu, pw = s.provisionedWcu * se.capacityMult;
            out.datapoint(s, s.dims, "ProvisionedReadCapacityUnits", "Count", pr, pr, pr, 1, NO_PCT);
            out.datapoint(s, s.dims, "ProvisionedWriteCapacityUnits", "Count", pw, pw, pw, 1, NO_PCT);
            Map<String, String> put = withOperation(s, "PutItem"), get = withOperation(s, "GetItem");
            if (throttled > 0) out.datapoint(s, put, "ThrottledRequests", "Count", 1, 1, throttled, throttled, NO_PCT);
            else out.datapoint(s, put, "ThrottledRequests", "Count", 0, 0, 0, 1, NO_PCT);
            out.datapoint(s, get, "SuccessfulRequestLatency", "Milliseconds", lat * 0.4, lat * 6, lat * readReqs, readReqs, NO_PCT);
            storeLatMs = lat;
            storeErr = se.errorRate + throttled / (readReqs + writeReqs + throttled);
        }

        // ---- compute tier and queue
        double inflow = reqs * QUEUE_MESSAGES_PER_REQUEST;
        double demand = Math.min(app.backlog + inflow, inflow * 1.3 + 5);
        double frontLatS, frontErr, health;
        if (app.lambda) {
            SimResource api = app.apiFunction();
            List<SimResource> workers = app.compute.size() > 1 ? app.compute.subList(1, app.compute.size()) : List.of();
            double[] a = lambda(out, api, reqs + (workers.isEmpty() ? demand : 0), storeLatMs, storeErr, rnd);
            frontLatS = a[0] / 1000;
            frontErr = a[1] + a[2];
            if (workers.isEmpty()) {
                health = (1 - a[1]) * (1 - a[2]);
            } else {
                health = 0;
                for (SimResource w : workers) {
                    double[] r = lambda(out, w, demand / workers.size(), storeLatMs, storeErr, rnd);
                    health += (1 - r[1]) * (1 - r[2]) / workers.size();
                }
            }
        } else {
            double perInst = (reqs + demand) / app.compute.size();
            double lat = 0, err = 0;
            for (SimResource i : app.compute) {
                double[] r = ec2(out, i, perInst, storeLatMs, storeErr, rnd);
                lat += r[0] / app.compute.size();
                err += r[1] / app.compute.size();
            }
            frontLatS = lat;
            frontErr = err;
            health = 1 - err;
        }
        double processed = demand * Math.max(0, health);
        app.backlog = Math.max(0, app.backlog + inflow - processed);

        // ---- load balancer
        SimResource lb = app.alb;
        double requests = Math.round(reqs);
        double perNode = requests / ALB_NODES;
        out.datapoint(lb, lb.dims, "RequestCount", "Count", Math.floor(perNode * 0.9), Math.ceil(perNode * 1.1), requests, ALB_NODES, NO_PCT);
        double lat = (frontLatS + 0.0015) * lb.effects.blip("TargetResponseTime");
        out.datapoint(lb, lb.dims, "TargetResponseTime", "Seconds", lat * 0.2, lat * 8, lat * requests, requests,
                new double[] {lat * 0.8, lat * 1.7, lat * 3.2});
        double errors = Math.round(requests * clamp(frontErr + lb.effects.errorRate, 0, 1));
        out.datapoint(lb, lb.dims, "HTTPCode_Target_5XX_Count", "Count", Math.floor(errors / ALB_NODES), Math.ceil(errors / ALB_NODES),
                errors, ALB_NODES, NO_PCT);

        // ---- queue
        SimResource q = app.queue;
        double visible = Math.round(app.backlog + inflow * 0.02 * (1 + 0.2 * Math.abs(rnd.nextGaussian())));
        double age = (2 + 60 * app.backlog / Math.max(1, inflow * 1.3) + 3 * Math.abs(rnd.nextGaussian())) * q.effects.blip("ApproximateAgeOfOldestMessage");
        single(out, q, "ApproximateAgeOfOldestMessage", "Seconds", Math.round(age));
        single(out, q, "ApproximateNumberOfMessagesVisible", "Count", visible);
    }

    /** One function's minute; returns {average duration ms, error rate, throttle fraction}. */
    private double[] lambda(Sink out, SimResource f, double demand, double storeLatMs, double storeErr, Random rnd) {
        Effects e = f.effects;
        double plain = f.base * (1 + 0.05 * rnd.nextGaussian()) * e.latencyMult + storeLatMs * STORE_CALLS_PER_REQUEST;
        double dur = plain * e.blip("Duration");
        if (dur > plain) {
            // a harmless blip stays harmless: it slows the function, but not past the duration at which its busiest
            // concurrency would meet its limit (80 % of it at most), so it causes no throttles or backlog
            double headroom = 0.8 * (f.concurrencyLimit - 1) / 1.25 / Math.max(1e-9, demand / 60 / 1000);
            dur = Math.max(plain, Math.min(dur, headroom));
        }
        dur = Math.max(1, Math.min(dur, e.durationCapMs * 0.97));
        double conc = demand / 60 * dur / 1000;
        double concMax = conc * 1.25 * (1 + 0.05 * Math.abs(rnd.nextGaussian())) + 1;
        double throttleFrac = concMax > f.concurrencyLimit ? 1 - f.concurrencyLimit / concMax : 0;
        concMax = Math.min(concMax, f.concurrencyLimit);
        conc = Math.min(conc, concMax);
        double inv = Math.max(1, Math.round(demand * (1 - throttleFrac)));
        double throttles = Math.round(demand * throttleFrac);
        double errRate = clamp(0.0008 * (1 + 0.5 * Math.abs(rnd.nextGaussian())) + e.errorRate + storeErr * 0.9, 0, 1);
        double errors = Math.round(inv * errRate);
        double max = Math.min(e.durationCapMs, dur * 4.5);
        out.datapoint(f, f.dims, "Invocations", "Count", 1, 1, inv, inv, NO_PCT);
        out.datapoint(f, f.dims, "Duration", "Milliseconds", dur * 0.35, max, dur * inv, inv,
                new double[] {dur * 0.85, Math.min(max, dur * 1.5), Math.min(max, dur * 2.8)});
        out.datapoint(f, f.dims, "Errors", "Count", errors >= inv ? 1 : 0, errors > 0 ? 1 : 0, errors, inv, NO_PCT);
        out.datapoint(f, f.dims, "Throttles", "Count", throttles >= inv + throttles ? 1 : 0, throttles > 0 ? 1 : 0, throttles, inv + throttles, NO_PCT);
        out.datapoint(f, f.dims, "ConcurrentExecutions", "Count", Math.floor(conc * 0.7), Math.ceil(concMax), round(conc * 60, 1), 60, NO_PCT);
        return new double[] {dur, errors / inv, throttleFrac};
    }

    /** One instance's minute; returns {average latency s, error rate}. */
    private double[] ec2(Sink out, SimResource i, double perInst, double storeLatMs, double storeErr, Random rnd) {
        Effects e = i.effects;
        double cpu = clamp((3 + perInst * i.base * (1 + 0.05 * rnd.nextGaussian()) + e.cpuAdd) * e.blip("CPUUtilization"), 0.5, 100);
        double sat = cpu > 75 ? Math.pow((cpu - 75) / 25, 2) * 4 : 0;
        double lat = (0.035 + storeLatMs * STORE_CALLS_PER_REQUEST / 1000) * e.latencyMult * (1 + sat) * (1 + 0.04 * rnd.nextGaussian());
        double err = clamp(0.0005 + e.errorRate + storeErr * 0.9 + (cpu >= 98 ? 0.03 : 0), 0, 1);
        single(out, i, "CPUUtilization", "Percent", cpu);
        single(out, i, "NetworkIn", "Bytes", Math.round(perInst * 2200 * (1 + 0.05 * rnd.nextGaussian())));
        single(out, i, "NetworkOut", "Bytes", Math.round(perInst * 26000 * (1 + 0.05 * rnd.nextGaussian())));
        single(out, i, "EBSReadOps", "Count", Math.round(perInst * 0.8 * (1 + 0.1 * rnd.nextGaussian())));
        single(out, i, "EBSWriteOps", "Count", Math.round(perInst * 0.4 * (1 + 0.1 * rnd.nextGaussian())));
        return new double[] {Math.max(0.001, lat), err};
    }

    private static void single(Sink out, SimResource r, String metric, String unit, double v) {
        double x = Math.max(0, v);
        out.datapoint(r, r.dims, metric, unit, x, x, x, 1, NO_PCT);
    }

    private static Map<String, String> withOperation(SimResource r, String op) {
        Map<String, String> m = new LinkedHashMap<>(r.dims);
        m.put("Operation", op);
        return Collections.unmodifiableMap(m);
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    static List<String> metricNames(Fleet.Kind kind) {
        return new ArrayList<>(switch (kind) {
            case ALB -> List.of("RequestCount", "TargetResponseTime", "HTTPCode_Target_5XX_Count");
            case LAMBDA -> List.of("Invocations", "Duration", "Errors", "Throttles", "ConcurrentExecutions");
            case EC2 -> List.of("CPUUtilization", "NetworkIn", "NetworkOut", "EBSReadOps", "EBSWriteOps");
            case RDS -> List.of("CPUUtilization", "DatabaseConnections", "FreeStorageSpace", "FreeableMemory", "ReadLatency", "DBLoad");
            case DYNAMODB -> List.of("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ProvisionedReadCapacityUnits",
                    "ProvisionedWriteCapacityUnits", "ThrottledRequests", "SuccessfulRequestLatency");
            case SQS -> List.of("ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible");
        });
    }
}
