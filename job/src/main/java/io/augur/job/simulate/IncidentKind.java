package io.augur.job.simulate;

/** The incidents the simulator injects, and the insight each should give. */
public enum IncidentKind {
    DEPLOYMENT_REGRESSION(Insight.REACTIVE, "CodeDeploy deployment START/SUCCESS, then latency and errors rise on the service and its callers"),
    BAD_CONFIG_CHANGE(Insight.REACTIVE, "CloudTrail UpdateFunctionConfiguration20150331v2 (memory/timeout cut) or ModifyDBInstance (smaller class), then latency and errors"),
    TRAFFIC_SURGE(Insight.REACTIVE, "correlated load rise on every tier of an application, with throttling (Lambda, DynamoDB) and saturation"),
    DEPENDENCY_FAILURE(Insight.REACTIVE, "the database turns slow, then upstream latency, 5xx and queue backlog follow"),
    MEMORY_LEAK(Insight.PROACTIVE, "RDS FreeableMemory falls steadily to 0 over hours to days; the instance restarts at exhaustion"),
    DISK_FILL(Insight.PROACTIVE, "RDS FreeStorageSpace falls steadily to 0 over hours to days; writes fail until storage is added"),
    DYNAMODB_CAPACITY_CREEP(Insight.PROACTIVE, "DynamoDB ConsumedWriteCapacityUnits creep up to the provisioned capacity, then throttling"),
    LAMBDA_CONCURRENCY_CREEP(Insight.PROACTIVE, "Lambda ConcurrentExecutions creep up to the account concurrency limit, then throttling");

    public enum Insight { REACTIVE, PROACTIVE }

    public final Insight insight;
    public final String description;

    IncidentKind(Insight insight, String description) {
        this.insight = insight;
        this.description = description;
    }

    public boolean proactive() {
        return insight == Insight.PROACTIVE;
    }
}
