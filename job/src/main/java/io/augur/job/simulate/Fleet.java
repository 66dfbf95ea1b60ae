package io.augur.job.simulate;

import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated fleet: applications (one CloudFormation stack each, every other one also tagged
 * {@code devops-guru-app}) with tiers ALB → Lambda functions or EC2 instances → RDS instance or DynamoDB table, plus an
 * SQS queue worked off by the compute tier. The four shapes rotate, so any four consecutive applications cover
 * Lambda+DynamoDB, EC2+RDS, Lambda+RDS and EC2+DynamoDB.
 */
public final class Fleet {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    /** Lambda's default account-wide concurrency limit. */
    public static final int LAMBDA_ACCOUNT_LIMIT = 1000;

    public enum Kind { ALB, LAMBDA, EC2, RDS, DYNAMODB, SQS }

    /** One resource with its metric dimensions, identity and behaviour parameters. */
    public static final class SimResource {
        public final Kind kind;
        public final App app;
        public final String id;
        public final String namespace;
        public final Map<String, String> dims;
        public final Resource identity;
        final Effects effects = new Effects();
        /** Lambda: baseline duration (ms); EC2: CPU percent per request per minute. */
        double base;
        /** Lambda: the concurrency limit that applies (reserved concurrency, or the account limit). */
        int concurrencyLimit = LAMBDA_ACCOUNT_LIMIT;
        boolean reserved;
        /** Lambda: fraction of the application's requests (api) or of its queue messages (worker) it handles. */
        boolean worker;
        int memoryMb = 1024;
        /** RDS */
        double memTotalBytes, freeMemFraction, allocatedBytes, freeStorage0, storageGrowthPerMin;
        String instanceClass;
        /** DynamoDB: provisioned capacity units per second. */
        double provisionedRcu, provisionedWcu;

        SimResource(Kind kind, App app, String id, String namespace, Map<String, String> dims, Resource identity) {
            this.kind = kind;
            this.app = app;
            this.id = id;
            this.namespace = namespace;
            this.dims = dims;
            this.identity = identity;
        }

        public String arn() {
            return identity.getArn().toString();
        }
    }

    /** One application: a CloudFormation stack. */
    public static final class App {
        public final String name;
        public final String stack;
        /** Value of the {@code devops-guru-app} tag, or null when the application is known by its stack only. */
        public final String tag;
        public final boolean lambda;
        public final boolean rds;
        /** Requests per minute at the load balancer on an average weekday at the daily mean. */
        final double baseRpm;
        final double phaseHours;
        final double trendPerDay;
        SimResource alb, store, queue;
        final List<SimResource> compute = new ArrayList<>();
        final Effects effects = new Effects();
        /** AR(1) state of the load noise, the queue backlog. */
        double noise, backlog;

        App(String name, boolean tagged, boolean lambda, boolean rds, double baseRpm, double phaseHours, double trendPerDay) {
            this.name = name;
            this.stack = name + "-prod";
            this.tag = tagged ? name : null;
            this.lambda = lambda;
            this.rds = rds;
            this.baseRpm = baseRpm;
            this.phaseHours = phaseHours;
            this.trendPerDay = trendPerDay;
        }

        public List<SimResource> resources() {
            List<SimResource> all = new ArrayList<>();
            all.add(alb);
            all.addAll(compute);
            all.add(store);
            all.add(queue);
            return all;
        }

        public String deploymentGroup() {
            return name + "-prod";
        }

        /** The function behind the load balancer (Lambda applications). */
        SimResource apiFunction() {
            return compute.get(0);
        }
    }

    private static final String[] NAMES = {"checkout", "catalog", "payments", "search", "orders", "inventory", "shipping",
            "profile", "reviews", "pricing", "notify", "auth", "cart", "ledger", "media", "billing", "quotes", "returns",
            "loyalty", "ads"};

    public final List<App> apps;

    private Fleet(List<App> apps) {
        this.apps = Collections.unmodifiableList(apps);
    }

    public List<SimResource> resources() {
        List<SimResource> all = new ArrayList<>();
        for (App a : apps) all.addAll(a.resources());
        return all;
    }

    /** A fleet of exactly {@code n} resources (at least 8: two applications of four). */
    public static Fleet build(int n, Random rnd) {
        if (n < 8) throw new IllegalArgumentException("--resources must be at least 8 (two applications of four resources), got " + n);
        List<App> apps = new ArrayList<>();
        // About 5 resources per application (ALB, two compute, store, queue); the remainder adds compute resources.
        int count = Math.max(2, n / 5);
        for (int i = 0; i < count; i++) {
            int size = n / count + (i < n % count ? 1 : 0);
            String name = i < NAMES.length ? NAMES[i] : NAMES[i % NAMES.length] + "-" + (i / NAMES.length + 1);
            int shape = i % 4; // Lambda+DynamoDB, EC2+RDS, Lambda+RDS, EC2+DynamoDB
            boolean lambda = shape == 0 || shape == 2;
            boolean rds = shape == 1 || shape == 2;
            double rpm = lambda ? 9000 + rnd.nextInt(12000) : 1500 + rnd.nextInt(3000);
            App app = new App(name, i % 2 == 1, lambda, rds, rpm, rnd.nextDouble() * 3, 0.005 + rnd.nextDouble() * 0.02);
            addResources(app, size - 3, rnd);
            apps.add(app);
        }
        return new Fleet(apps);
    }

    private static void addResources(App app, int computeCount, Random rnd) {
        String lb = "app/" + app.name + "-alb/" + hex(rnd, 16);
        app.alb = new SimResource(Kind.ALB, app, lb, "AWS/ApplicationELB", dims("LoadBalancer", lb),
                ResourceIdentities.loadBalancerV2(ACCOUNT, REGION, lb));
        for (int c = 0; c < computeCount; c++) {
            SimResource r;
            if (app.lambda) {
                String fn = app.name + (c == 0 ? "-api" : c == 1 ? "-worker" : "-worker-" + c);
                r = new SimResource(Kind.LAMBDA, app, fn, "AWS/Lambda", dims("FunctionName", fn),
                        ResourceIdentities.lambdaFunction(ACCOUNT, REGION, fn));
                r.worker = c > 0;
                r.base = c == 0 ? 180 + rnd.nextInt(220) : 400 + rnd.nextInt(400);
                if (r.worker) {
                    // Reserved concurrency at about twice the worker's daily peak: a surge throttles it.
                    double peakConc = app.baseRpm * 0.3 / Math.max(1, computeCount - 1) * 1.5 / 60 * r.base / 1000 * 1.3;
                    r.concurrencyLimit = (int) Math.ceil(Math.max(10, 2 * peakConc));
                    r.reserved = true;
                }
            } else {
                String id = "i-" + hex(rnd, 17);
                r = new SimResource(Kind.EC2, app, id, "AWS/EC2", dims("InstanceId", id), ResourceIdentities.ec2Instance(ACCOUNT, REGION, id));
                // CPU percent per (request/minute) on one instance: about 45% at the daily peak.
                r.base = 45.0 / (app.baseRpm * 1.5 / computeCount);
            }
            app.compute.add(r);
        }
        if (app.rds) {
            String db = app.name + "-db";
            SimResource r = new SimResource(Kind.RDS, app, db, "AWS/RDS", dims("DBInstanceIdentifier", db), ResourceIdentities.rdsInstance(ACCOUNT, REGION, db));
            r.instanceClass = rnd.nextBoolean() ? "db.r6g.xlarge" : "db.r6g.large";
            r.memTotalBytes = (r.instanceClass.equals("db.r6g.xlarge") ? 32L : 16L) * (1L << 30);
            r.freeMemFraction = 0.45 + rnd.nextDouble() * 0.2;
            r.allocatedBytes = (100L + 100L * rnd.nextInt(4)) * (1L << 30);
            r.freeStorage0 = r.allocatedBytes * (0.35 + rnd.nextDouble() * 0.3);
            r.storageGrowthPerMin = r.allocatedBytes * 0.002 / 1440; // 0.2% of the volume per day
            app.store = r;
        } else {
            String t = app.name + "-table";
            SimResource r = new SimResource(Kind.DYNAMODB, app, t, "AWS/DynamoDB", dims("TableName", t), ResourceIdentities.dynamoDbTable(ACCOUNT, REGION, t));
            // Provisioned at about twice the daily peak consumption: a surge throttles, ordinary days do not.
            r.provisionedRcu = Math.ceil(app.baseRpm * MetricModel.READ_UNITS_PER_REQUEST * 1.5 * 2 / 60 / 5) * 5;
            r.provisionedWcu = Math.ceil(app.baseRpm * MetricModel.WRITE_UNITS_PER_REQUEST * 1.5 * 2 / 60 / 5) * 5;
            app.store = r;
        }
        String q = app.name + "-jobs";
        app.queue = new SimResource(Kind.SQS, app, q, "AWS/SQS", dims("QueueName", q), ResourceIdentities.sqsQueue(ACCOUNT, REGION, q));
    }

    private static Map<String, String> dims(String k, String v) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k, v);
        return Collections.unmodifiableMap(m);
    }

    static String hex(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    /** A random (version 4 shaped) UUID drawn from {@code rnd}. */
    static String uuid(Random rnd) {
        return hex(rnd, 8) + "-" + hex(rnd, 4) + "-4" + hex(rnd, 3) + "-" + "89ab".charAt(rnd.nextInt(4)) + hex(rnd, 3) + "-" + hex(rnd, 12);
    }
}
