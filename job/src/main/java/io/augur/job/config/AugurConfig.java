package io.augur.job.config;

import org.apache.flink.configuration.MemorySize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Augur's configuration: every key is declared in {@link #KEYS} with a default. Values come, later ones winning, from
 * the defaults, a YAML or .properties file, Amazon Managed Service for Apache Flink runtime property groups (group =
 * the part of the key before the first dot), and command-line {@code --set key=value} flags. An unknown key or a bad
 * value is an error that names the fix.
 */
public final class AugurConfig {
    public static final ConfigKey SOURCE_TYPE = key("source.type", "kinesis", "one of kinesis|files", "Where records come from: Kinesis streams, or replay files (replay.*).");
    public static final ConfigKey KINESIS_REGION = key("kinesis.region", "us-east-1", "AWS region", "Region of the Kinesis streams.");
    public static final ConfigKey KINESIS_ENDPOINT = key("kinesis.endpoint", "", "URL", "Endpoint override, e.g. http://127.0.0.1:4568 for kinesis-local; empty for AWS.");
    public static final ConfigKey KINESIS_ACCOUNT = key("kinesis.account", "000000000000", "12-digit account id", "Account that owns the streams, used to build a stream ARN from a stream name.");
    public static final ConfigKey KINESIS_METRICS_STREAM = key("kinesis.metrics.stream", "augur-metrics", "stream name or ARN", "Stream carrying CloudWatch metric-stream records (JSON or OpenTelemetry).");
    public static final ConfigKey KINESIS_EVENTS_STREAM = key("kinesis.events.stream", "augur-events", "stream name or ARN, or empty", "Stream carrying CloudTrail, CodeDeploy and Config events; empty to read metrics only.");
    public static final ConfigKey KINESIS_INITIAL_POSITION = key("kinesis.initial-position", "LATEST", "one of LATEST|TRIM_HORIZON|AT_TIMESTAMP", "Where to start reading a stream without checkpointed position.");
    public static final ConfigKey KINESIS_INITIAL_TIMESTAMP = key("kinesis.initial-timestamp", "", "ISO-8601 instant", "Start time for AT_TIMESTAMP.");
    public static final ConfigKey KINESIS_CREDENTIALS = key("kinesis.credentials.provider", "AUTO", "one of AUTO|BASIC|ENV_VAR|SYS_PROP|PROFILE|WEB_IDENTITY_TOKEN", "AWS credentials provider (AUTO = the default chain; on Managed Flink, the application's role).");
    public static final ConfigKey KINESIS_ACCESS_KEY = key("kinesis.credentials.access-key-id", "", "string", "Access key for BASIC credentials. Never logged.");
    public static final ConfigKey KINESIS_SECRET_KEY = key("kinesis.credentials.secret-key", "", "string", "Secret key for BASIC credentials. Never logged.");
    public static final ConfigKey KINESIS_PROFILE = key("kinesis.credentials.profile", "", "string", "Profile name for PROFILE credentials.");
    public static final ConfigKey KINESIS_SHARD_DISCOVERY = key("kinesis.shard-discovery-interval", "10s", "duration", "How often new shards (after resharding) are discovered.");

    public static final ConfigKey REPLAY_METRICS = key("replay.metrics", "", "paths, comma-separated", "Files or directories of metric-stream records for source.type=files (newline-delimited; .gz allowed).");
    public static final ConfigKey REPLAY_EVENTS = key("replay.events", "", "paths, comma-separated", "Files or directories of event records for source.type=files.");
    // savepoints (issue 11): a file source that keeps watching, so that a replay can stop with a savepoint and resume with new files
    public static final ConfigKey REPLAY_MONITOR = key("replay.monitor-interval", "0s", "duration", "0: replay files are read once and the job ends (bounded). Positive: the replay paths are watched for new files at this interval and the job runs until stopped (e.g. with a savepoint); files already read are remembered in the source's state.");

    public static final ConfigKey WATERMARK_OUT_OF_ORDERNESS = key("watermark.out-of-orderness", "5m", "duration", "How far behind the newest datapoint a datapoint may arrive and still be in order (metric streams deliver in 2-3 minutes).");
    public static final ConfigKey WATERMARK_IDLENESS = key("watermark.idleness", "1m", "duration", "Kinesis and watched replays: after this long without data a stream's subtask is idle and does not hold back event time. Bounded replays do without it (a subtask with nothing to read ends instead).");

    public static final ConfigKey PARSE_MAX_RECORD = key("parse.max-record-bytes", "1048576", "bytes", "Records larger than this go to the dead-letter output (Kinesis records are at most 1 MiB).");
    public static final ConfigKey PARSE_MAX_DECOMPRESSED = key("parse.max-decompressed-bytes", "16777216", "bytes", "Gzip content larger than this decompressed goes to the dead-letter output.");
    public static final ConfigKey DEAD_LETTER_PAYLOAD = key("deadletter.payload-chars", "2048", "characters", "How much of a bad record's payload the dead letter keeps.");
    public static final ConfigKey DEDUP_WINDOW = key("dedup.window", "6h", "positive duration", "How far back, behind the newest datapoint of its series, a repeated datapoint is still recognised and dropped. An older datapoint is accepted unchecked and counted (augur.dedup.unchecked). Replaces dedup.series-window (a count of 32 datapoints).");
    public static final ConfigKey DEDUP_SERIES_TTL = key("dedup.series-ttl", "1d", "duration", "A series silent this long loses its de-duplication state.");
    public static final ConfigKey DEDUP_EVENT_TTL = key("dedup.event-ttl", "1d", "duration", "How long a change event id is remembered to drop repeats.");

    public static final ConfigKey DETECTOR_SENSITIVITY = key("detector.sensitivity", "medium", "low, medium, high, or a score in (0,1]", "How unusual a datapoint must be to count as anomalous: high flags more, low fewer.");
    // ---- detector alert settings per namespace or metric (scoped keys: the scope is everything after the prefix)
    public static final ConfigKey DETECTOR_SENSITIVITY_SCOPED = key("detector.sensitivity." + ConfigKey.SCOPE, "", "low, medium, high, or a score in (0,1]",
            "Sensitivity of one namespace (detector.sensitivity.AWS/RDS) or one metric (detector.sensitivity.AWS/Lambda/Errors); the most specific setting wins over detector.sensitivity.");
    public static final ConfigKey DETECTOR_DIRECTION_SCOPED = key("detector.direction." + ConfigKey.SCOPE, "", "one of rise|drop|both",
            "Which deviations of a namespace or metric are anomalies, e.g. detector.direction.AWS/SQS/NumberOfMessagesSent=both. Defaults by metric name: errors, faults, throttles, latency, duration, age, queues rise; free storage or memory, credits, available and healthy counts drop; anything else both.");
    public static final ConfigKey DETECTOR_STATE_TTL = key("detector.state-ttl", "7d", "duration", "A series silent this long loses its learned baseline.");

    // ---- throughput (issue 9, session 5) ----
    public static final ConfigKey DETECTOR_RECENT_BASELINES = key("detector.recent-baselines", "auto", "integer or auto",
            "Series per task whose baseline is kept deserialized in memory and written to the keyed state before each checkpoint and savepoint instead of after every datapoint (a series' next datapoint neither reads nor writes it in RocksDB); more series than that are read and written per datapoint, which halves throughput when most series are. auto (default): as many as cache.heap-share of the slot's heap holds; 0 = none.");
    public static final ConfigKey DEDUP_RECENT_SERIES = key("dedup.recent-series", "auto", "integer or auto",
            "Series per task whose de-duplication window is kept in memory and written to the keyed state before each checkpoint and savepoint instead of after every datapoint. auto (default): as many as cache.heap-share of the slot's heap holds; 0 = none.");

    // ---- throughput (issue 9, session 6): quiet series send the reactive lifecycle nothing ----
    public static final ConfigKey ANOMALY_RECENT_CONTEXTS = key("anomaly.recent-contexts", "auto", "integer or auto",
            "Series per task whose reactive-lifecycle context (the burst-candidates filter's recent datapoints and live bounds, which let a quiet series send the lifecycle nothing) is kept in memory and written to the keyed state before each checkpoint and savepoint instead of after every datapoint. auto (default): as many as cache.heap-share of the slot's heap holds; 0 = none.");
    // ---- throughput (issue 9, session 11): the forecaster's histories in memory ----
    public static final ConfigKey ANOMALY_RECENT_FORECASTS = key("anomaly.recent-forecasts", "auto", "integer or auto",
            "Series per task whose forecast history (the exhaustion forecaster's downsampled history of a series with a limit) is kept in memory and written to the keyed state before each checkpoint and savepoint instead of read and written at every datapoint. auto (default): as many as 15 % of cache.heap-share of the slot's heap holds, at " + io.augur.ops.flink.anomaly.ForecastExhaustion.HEAP_BYTES_PER_HISTORY + " B per history (on top of the scoring chain's caches); 0 = none.");
    // ---- memory (issue 9, session 9): the three caches sized from the heap ----
    public static final ConfigKey CACHE_HEAP_SHARE = key("cache.heap-share", "0.3", "fraction in (0,1)",
            "For the caches set to auto (detector.recent-baselines, dedup.recent-series, anomaly.recent-contexts): the share of a slot's heap (the task manager's maximum heap over its slots) they may fill together, at " + io.augur.ops.flink.CacheCapacity.HEAP_BYTES_PER_SERIES + " B per series for all three; anomaly.recent-forecasts set to auto takes 15 % of this share on top, at its own figure per history. 0.3 leaves the rest to Flink and the other operators; raise it on a task manager that runs only Augur with a large heap, lower it if the task managers run short of heap.");

    // ---- state (issue 9, session 7): the reactive path's state per series ----
    public static final ConfigKey ANOMALY_CONTEXT_FULL_POINTS = key("anomaly.context-full-points", "10", "integer",
            "Of the 30 recent datapoints that the burst-candidates filter keeps per series for the reactive lifecycle, how many at or behind its previous watermark step keep value, band and score; older ones keep only their timestamp. 10 (default: the datapoints an anomaly shows before its start; smaller values count as 10) to 30, or 0 = all. Exact for any value: the lifecycle does not handle a datapoint at or behind the newest one whose values the filter dropped (each datapoint it gets carries that floor), which is behind the filter's previous watermark step, so it handles every datapoint it would with all kept unless its watermark trails the filter's by more than a step. More only keeps more bytes.");

    // ---- insights (issue 6): coverage, correlation, notifications ----
    public static final ConfigKey COVERAGE_MODE = key("insights.coverage.mode", "account", "one of account|stacks|tags", "What Augur analyses (DevOps Guru's coverage): every resource of the accounts, the resources of CloudFormation stacks, or resources with a devops-guru-* tag.");
    public static final ConfigKey COVERAGE_ACCOUNTS = key("insights.coverage.accounts", "", "account ids, comma-separated", "Accounts analysed; empty = any account.");
    public static final ConfigKey COVERAGE_STACKS = key("insights.coverage.stacks", "", "stack names, comma-separated, or *", "mode=stacks: the CloudFormation stacks analysed (* = every stack).");
    public static final ConfigKey COVERAGE_TAG_KEY = key("insights.coverage.tag-key", "", "tag key starting with devops-guru-", "mode=tags: the application boundary key (prefix devops-guru- in any case; the key itself is case-sensitive). Its value names the application.");
    public static final ConfigKey COVERAGE_TAG_VALUES = key("insights.coverage.tag-values", "*", "tag values, comma-separated, or *", "mode=tags: the applications (tag values) analysed.");
    public static final ConfigKey COVERAGE_CONTROL_DIR = key("insights.coverage.control-dir", "", "path or URI, or empty", "A directory watched for coverage control files (one JSON document per line, DevOps Guru's ResourceCollection shape plus a revision): changes coverage while the job runs. Empty: the configuration's coverage only.");
    public static final ConfigKey COVERAGE_CONTROL_POLL = key("insights.coverage.control-poll", "30s", "duration", "How often the control directory is checked for new files (continuous jobs; a replay reads it once).");
    public static final ConfigKey COVERAGE_REFRESH = key("insights.coverage.refresh-interval", "0s", "duration", "How often stacks and tags are listed from the AWS APIs (CloudFormation ListStackResources, Resource Groups Tagging API GetResources), and at every coverage change; 0 = never (memberships come from change events only).");
    public static final ConfigKey COVERAGE_AWS_REGION = key("insights.coverage.aws.region", "us-east-1", "AWS region", "Region of the coverage refresh API calls.");
    public static final ConfigKey COVERAGE_AWS_ENDPOINT = key("insights.coverage.aws.endpoint", "", "URL", "Endpoint override for the refresh calls (e.g. a moto server); empty for AWS.");
    public static final ConfigKey COVERAGE_AWS_ACCESS_KEY = key("insights.coverage.aws.access-key-id", "", "string", "Access key for the refresh calls; empty = the default credentials chain. Never logged.");
    public static final ConfigKey COVERAGE_AWS_SECRET_KEY = key("insights.coverage.aws.secret-key", "", "string", "Secret key for the refresh calls. Never logged.");
    public static final ConfigKey COVERAGE_MEMBERSHIP_TTL = key("insights.coverage.membership-ttl", "30d", "duration", "A resource neither seen nor re-listed for this long loses what Augur knew of its stack and tags.");
    public static final ConfigKey COVERAGE_FILTER_DATAPOINTS = key("insights.coverage.filter-datapoints", "auto", "one of auto|true|false", "Drop datapoints of resources outside coverage before scoring (they then cost no baseline state). auto: only when coverage can exclude anything (not the whole of every account, or a control directory is set): the filter costs a shuffle of every datapoint.");
    public static final ConfigKey INSIGHT_CLOSE_GRACE = key("insights.close-grace", "10m", "duration", "An insight closes this long after its last anomaly closed, unless a new anomaly joins it meanwhile.");
    public static final ConfigKey INSIGHT_ANOMALY_TIMEOUT = key("insights.anomaly-timeout", "1d", "duration", "An ongoing anomaly without a revision for this long counts as closed.");
    public static final ConfigKey INSIGHT_REPEAT_WINDOW = key("insights.repeat-window", "1d", "duration", "The same problem (resource and metric) again within this long after its insight closed is a repeat: LOW severity.");
    public static final ConfigKey INSIGHT_LOOKBACK = key("insights.related-events.lookback", "1h", "duration", "Change events on the application this long before onset are the insight's related events.");
    public static final ConfigKey INSIGHT_CAUSE_WINDOW = key("insights.cause-window", "30m", "duration", "The latest deployment or configuration change this long before onset is named as the likely cause.");
    public static final ConfigKey INSIGHT_EVENT_RETENTION = key("insights.related-events.retention", "3h", "duration", "How long change events are kept to relate them to insights that open later (at least the look-back).");
    public static final ConfigKey INSIGHT_MAX_RELATED = key("insights.related-events.max", "20", "integer", "Related events kept per insight (the latest).");
    public static final ConfigKey INSIGHT_MAX_ANOMALIES = key("insights.max-anomalies", "100", "integer", "Anomalies kept per insight.");
    public static final ConfigKey INSIGHT_URL_TEMPLATE = key("insights.url-template", "https://augur.local/insights/{type}/{id}", "URL with {region}, {type}, {id}", "insightUrl of notifications: where your insight view lives.");
    public static final ConfigKey NOTIFY_SEVERITIES = key("insights.notify.severities", "LOW,MEDIUM,HIGH", "severities, comma-separated", "Notifications are sent for insights of these severities (DevOps Guru's Severities filter).");
    public static final ConfigKey NOTIFY_MESSAGE_TYPES = key("insights.notify.message-types", "NEW_INSIGHT,NEW_ASSOCIATION,SEVERITY_UPGRADED,NEW_RECOMMENDATION,CLOSED_INSIGHT", "message types, comma-separated", "Notifications are sent for these lifecycle events (DevOps Guru's MessageTypes filter).");

    // ---- anomalies: the CEP patterns (reactive bursts, proactive exhaustion forecasts) and their noise control
    public static final ConfigKey ANOMALY_POINTS = key("anomaly.reactive.points", "4", "integer", "Reactive: datapoints of a series that must deviate from the expected band (the first scored anomalous) within anomaly.reactive.window to open an anomaly; at least 2.");
    public static final ConfigKey ANOMALY_WINDOW = key("anomaly.reactive.window", "8m", "duration", "Reactive: the time bound of that burst (for 5-minute metrics use at least 20m).");
    public static final ConfigKey ANOMALY_MIN_CHANGE = key("anomaly.reactive.min-change", "0.2", "fraction", "Reactive: a deviation must also change the value by this fraction of the expected value (counts: also more than Poisson noise).");
    public static final ConfigKey ANOMALY_EXTREME = key("anomaly.reactive.extreme-score", "0.99", "score in (0,1]", "Reactive: on errors, throttles and 5xx a datapoint scored this high opens an anomaly with the next datapoint, if that one still deviates from its band (a one-datapoint spike opens none).");
    public static final ConfigKey ANOMALY_QUIET = key("anomaly.reactive.quiet", "10m", "duration", "Reactive: an anomaly ends after this long without a deviating datapoint.");
    public static final ConfigKey ANOMALY_FLAP = key("anomaly.reactive.flap-window", "20m", "duration", "Reactive: an ended anomaly is reported closed only when no new burst came within this window; one that did merges into it.");
    public static final ConfigKey ANOMALY_HORIZON = key("anomaly.proactive.horizon", "7d", "duration", "Proactive: a limit forecast to be reached within this horizon opens a proactive anomaly.");
    public static final ConfigKey ANOMALY_AGREEING = key("anomaly.proactive.agreeing", "3", "integer", "Proactive: consecutive forecasts that must agree before an anomaly opens (and disagree before it closes).");
    public static final ConfigKey ANOMALY_BUCKET = key("anomaly.proactive.bucket", "15m", "duration", "Proactive: downsampling of the forecaster's history; a forecast is made whenever a bucket closes. Must divide a day.");
    public static final ConfigKey ANOMALY_FIT_WINDOW = key("anomaly.proactive.fit-window", "12h", "duration", "Proactive: trend window of non-seasonal series (free memory, free storage, message age).");
    public static final ConfigKey ANOMALY_MIN_HISTORY = key("anomaly.proactive.min-history", "6h", "duration", "Proactive: history a non-seasonal series needs before it is forecast.");
    public static final ConfigKey ANOMALY_SEASONAL_HISTORY = key("anomaly.proactive.seasonal-history", "26h", "duration", "Proactive: history a load-driven series with a daily cycle needs before it is forecast (more than a day).");
    public static final ConfigKey ANOMALY_LIMITS = key("anomaly.limits", "", "entries separated by ;", "Per-series limits: Namespace|MetricName[|Dim=Value,...][|Stat][|rise|drop]=limit, e.g. AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=orders=500 (DynamoDB: provisioned units per second).");
    public static final ConfigKey ANOMALY_LAMBDA_CONCURRENCY = key("anomaly.limit.lambda-concurrency", "1000", "integer", "Limit of Lambda ConcurrentExecutions: the account's concurrency limit.");
    public static final ConfigKey ANOMALY_SQS_RETENTION = key("anomaly.limit.sqs-retention", "4d", "duration", "Limit of SQS ApproximateAgeOfOldestMessage: the queues' message retention period.");
    public static final ConfigKey ANOMALY_DYNAMODB_WRITE = key("anomaly.limit.dynamodb-write-capacity", "40000", "integer", "Limit of DynamoDB ConsumedWriteCapacityUnits in units per second when a table has no anomaly.limits entry (metric streams carry no provisioned capacity; 40,000 is the per-table quota).");
    public static final ConfigKey ANOMALY_DYNAMODB_READ = key("anomaly.limit.dynamodb-read-capacity", "40000", "integer", "Limit of DynamoDB ConsumedReadCapacityUnits in units per second when a table has no anomaly.limits entry.");
    public static final ConfigKey ANOMALY_MAINTENANCE = key("anomaly.maintenance-windows", "", "entries separated by ;", "No anomaly opens on a resource in a maintenance window: <from>/<to> (ISO-8601) or <DAYS> HH:MM-HH:MM (UTC, DAYS: DAILY, MON, MON-FRI, SAT,SUN), each optionally followed by ' on <resource ARN glob>'.");
    public static final ConfigKey ANOMALY_DEPLOYMENT_TARGETS = key("anomaly.deployment.targets", "", "entries separated by ;", "Resources of CodeDeploy deployment groups: <application>/<group>=<resource ARN>[,<ARN>...]. Reactive anomalies opening on them during a deployment are reported when it ends.");
    public static final ConfigKey ANOMALY_DEPLOYMENT_MAX_HOLD = key("anomaly.deployment.max-hold", "30m", "duration", "A deployment delays anomalies at most this long after it started (0 = deployments delay nothing).");
    public static final ConfigKey ANOMALY_STATE_TTL = key("anomaly.state-ttl", "2d", "duration", "A series silent this long loses its anomaly and forecast state.");

    public static final ConfigKey OUTPUT_DIR = key("output.dir", "", "path or URI", "Where NDJSON outputs (normalized records, dead letters) are written; empty for none. For clusters: a shared file system such as s3://bucket/augur.");

    // --- insight tables (issue 10): where the insights, anomalies, insight_events, recommendations and change_events tables go
    public static final ConfigKey TABLES_SINK = key("tables.sink", "files", "one of files|postgres|files,postgres|none",
            "Where the insight tables are written: files (a directory of JSON tables partitioned by day, local or s3://), PostgreSQL (upserts), both, or none.");
    public static final ConfigKey TABLES_PATH = key("tables.path", "", "path or URI",
            "Directory of the file tables (local path, file://, s3://bucket/prefix). Empty: <out>/tables for augur replay, ${output.dir}/tables for augur run, none otherwise.");
    public static final ConfigKey TABLES_FILES_ROLLOVER = key("tables.files.rollover", "5m", "duration",
            "How long a table file stays open before it is rolled; rolled files become visible to readers at the next checkpoint.");
    public static final ConfigKey TABLES_JDBC_URL = key("tables.jdbc.url", "", "JDBC URL",
            "PostgreSQL for tables.sink=postgres, e.g. jdbc:postgresql://db:5432/augur; create the tables with deploy/sql/postgres/*.sql first.");
    public static final ConfigKey TABLES_JDBC_USER = key("tables.jdbc.username", "", "string", "PostgreSQL user.");
    public static final ConfigKey TABLES_JDBC_PASSWORD = key("tables.jdbc.password", "", "string", "PostgreSQL password. Never logged.");
    public static final ConfigKey TABLES_JDBC_FLUSH_INTERVAL = key("tables.jdbc.flush-interval", "1s", "duration",
            "Longest time a row waits in the JDBC sink's buffer before it is written (also flushed on every checkpoint).");
    public static final ConfigKey TABLES_JDBC_FLUSH_ROWS = key("tables.jdbc.flush-rows", "500", "integer", "Rows per JDBC batch.");
    public static final ConfigKey TABLES_STATE_TTL = key("tables.state-ttl", "14d", "duration",
            "How long the insight and anomaly table writers remember an id after its last event (an id silent for longer starts again at version 1).");

    public static final ConfigKey JOB_NAME = key("job.name", "augur", "string", "Flink job name.");
    public static final ConfigKey JOB_PARALLELISM = key("job.parallelism", "0", "integer", "Operator parallelism; 0 = the cluster's default.");
    public static final ConfigKey JOB_MAX_PARALLELISM = key("job.max-parallelism", "128", "integer", "Fixed max parallelism (key groups). Changing it breaks savepoint compatibility.");
    public static final ConfigKey STATE_BACKEND = key("state.backend", "rocksdb", "one of rocksdb|hashmap", "Keyed state backend; RocksDB keeps baselines for millions of series off heap.");
    // ---- state.rocksdb.* (issue 9, session 8): RocksDB's memtables under Flink's managed memory ----
    public static final ConfigKey STATE_ROCKSDB_WRITE_BUFFER_SIZE = key("state.rocksdb.write-buffer-size", "8mb", "memory size",
            "Size of one RocksDB memtable (Flink's state.backend.rocksdb.writebuffer.size; its arena blocks are an eighth of it). Every column family of every keyed operator in a slot shares the slot's write-buffer budget (a third of its managed memory), and a memtable counts whole arena blocks against it from its first entry: with Flink's 64mb (8 MB blocks) about ten non-empty memtables exhaust a 256 MB slot's budget, after which every write flushes a memtable of a few entries and RocksDB stalls on level-0 files (a 100k-series checkpoint did not finish in 10 minutes). Raise it only with managed memory to match; empty = Flink's default.");
    // ---- state.rocksdb.compression (issue 9, helper-state13): how RocksDB compresses its SST blocks (and so the checkpoints) ----
    public static final ConfigKey STATE_ROCKSDB_COMPRESSION = key("state.rocksdb.compression", "lz4,zstd", "compression per level",
            "How RocksDB compresses the blocks of its SST files, which RocksDB checkpoints copy as they are (Flink's state.backend.rocksdb.compression.per.level): none, snappy, lz4 or zstd per level, comma-separated from level 0 down, the last for every deeper level. The default lz4,zstd writes memtable flushes (level 0: written every checkpoint, compacted away soon) with LZ4, the cheapest, and the levels where state stays with ZSTD, the smallest: on the job's own rows 20 % smaller than Snappy (with 16 KB blocks) for 15 % less RocksDB CPU per row written. zstd on every level makes the newest files small too at about 20 % more CPU per row than Snappy; empty = Flink's default (snappy on every level). Applies to files written from then on (a restored job's older files keep theirs until compacted).");
    public static final ConfigKey STATE_ROCKSDB_BLOCK_SIZE = key("state.rocksdb.block-size", "16kb", "memory size",
            "Uncompressed size of one data block of RocksDB's SST files (Flink's state.backend.rocksdb.block.blocksize). Each block is compressed on its own, so larger blocks compress better: 16kb takes 8-11 % less than Flink's 4kb on the job's rows, with a quarter of the index. A read of a series beyond the heap caches decompresses one whole block (16 KB of LZ4 or ZSTD: microseconds). Empty = Flink's default (4kb).");
    public static final ConfigKey STATE_ROCKSDB_TIMERS = key("state.rocksdb.timers", "heap", "one of heap|rocksdb",
            "Where the RocksDB backend keeps event-time timers (Flink's state.backend.rocksdb.timer-service.factory): heap (fast; a checkpoint writes the pending ones uncompressed, key and all, about 95 bytes each) or rocksdb (a column family, a RocksDB write and delete per timer; measured not much smaller in checkpoints, as fired timers stay as tombstones until compacted: docs/history/benchmarks.md, session 10).");
    public static final ConfigKey CHECKPOINT_INTERVAL = key("checkpoint.interval", "60s", "duration", "Checkpoint interval; 0 disables checkpointing (not for production).");
    public static final ConfigKey CHECKPOINT_DIR = key("checkpoint.dir", "", "URI", "Checkpoint storage, e.g. s3://bucket/checkpoints; empty = the cluster's setting (Managed Flink manages its own).");

    // ---- job.object-reuse (issue 9, helper-perf10) ----
    public static final ConfigKey JOB_OBJECT_REUSE = key("job.object-reuse", "true", "one of true|false",
            "Flink's pipeline.object-reuse: chained operators pass records on without an Avro copy each (every Augur operator is audited not to keep or change a record it passes on, see README Benchmarks). false: a copy per chained operator, as before.");

    // ---- notify.*: notification sinks (SNS, EventBridge, OpsCenter), see io.augur.job.sink.notify ----
    public static final ConfigKey NOTIFY_SINKS = key("notify.sinks", "", "comma-separated: sns, eventbridge, opscenter; empty for none", "Which notification sinks are on.");
    public static final ConfigKey NOTIFY_REGION = key("notify.region", "us-east-1", "AWS region", "Region of the SNS topics, the event bus and OpsCenter.");
    public static final ConfigKey NOTIFY_CREDENTIALS = key("notify.credentials.provider", "AUTO", "one of AUTO|BASIC|PROFILE|ENV_VAR|SYS_PROP", "AWS credentials for the notification sinks (AUTO = the default chain; on Managed Flink, the application's role).");
    public static final ConfigKey NOTIFY_ACCESS_KEY = key("notify.credentials.access-key-id", "", "string", "Access key for BASIC credentials. Never logged.");
    public static final ConfigKey NOTIFY_SECRET_KEY = key("notify.credentials.secret-key", "", "string", "Secret key for BASIC credentials. Never logged.");
    public static final ConfigKey NOTIFY_PROFILE = key("notify.credentials.profile", "", "string", "Profile name for PROFILE credentials.");
    public static final ConfigKey NOTIFY_SNS_TOPICS = key("notify.sns.topic-arns", "", "up to 2 SNS topic ARNs, comma-separated (.fifo topics allowed)", "Topics that get DevOps Guru-shaped insight notifications.");
    public static final ConfigKey NOTIFY_SNS_ENDPOINT = key("notify.sns.endpoint", "", "URL", "SNS endpoint override (e.g. a local emulator); empty for AWS.");
    public static final ConfigKey NOTIFY_SNS_SEVERITIES = key("notify.sns.severities", "LOW,MEDIUM,HIGH", "comma-separated LOW|MEDIUM|HIGH", "Insight severities sent to SNS (DevOps Guru's Severities filter).");
    public static final ConfigKey NOTIFY_SNS_MESSAGE_TYPES = key("notify.sns.message-types", "NEW_INSIGHT,NEW_ASSOCIATION,SEVERITY_UPGRADED,NEW_RECOMMENDATION,CLOSED_INSIGHT",
            "comma-separated NEW_INSIGHT|NEW_ASSOCIATION|SEVERITY_UPGRADED|NEW_RECOMMENDATION|CLOSED_INSIGHT", "Message types sent to SNS (DevOps Guru's MessageTypes filter).");
    public static final ConfigKey NOTIFY_EVENTBRIDGE_BUS = key("notify.eventbridge.bus-name", "default", "event bus name or ARN", "Event bus that gets the insight events.");
    public static final ConfigKey NOTIFY_EVENTBRIDGE_SOURCE = key("notify.eventbridge.source", "augur.devops-guru", "event source, not starting with aws.", "Source of the events (DevOps Guru's own is aws.devops-guru, which only AWS may use).");
    public static final ConfigKey NOTIFY_EVENTBRIDGE_ENDPOINT = key("notify.eventbridge.endpoint", "", "URL", "EventBridge endpoint override; empty for AWS.");
    public static final ConfigKey NOTIFY_OPSCENTER_CATEGORY = key("notify.opscenter.category", "Performance", "one of Availability|Cost|Performance|Recovery|Security", "Category of the OpsItems.");
    public static final ConfigKey NOTIFY_OPSCENTER_SOURCE = key("notify.opscenter.source", "Augur", "1-128 characters without aws, amazon or amzn", "Source of the OpsItems.");
    public static final ConfigKey NOTIFY_OPSCENTER_ENDPOINT = key("notify.opscenter.endpoint", "", "URL", "Systems Manager endpoint override; empty for AWS.");
    public static final ConfigKey NOTIFY_OPSCENTER_MAX_ITEMS = key("notify.opscenter.remembered-items", "10000", "integer", "How many insight -> OpsItem ids the sink keeps in state (the least recently used are looked up again with DescribeOpsItems).");
    public static final ConfigKey NOTIFY_MAX_BATCH = key("notify.max-batch-size", "10", "integer", "Notifications per request (PublishBatch and PutEvents take at most 10).");
    public static final ConfigKey NOTIFY_MAX_IN_FLIGHT = key("notify.max-in-flight", "4", "integer", "Concurrent requests per subtask for SNS standard topics and EventBridge; FIFO topics and OpsCenter use 1 to keep each insight's events in order.");
    public static final ConfigKey NOTIFY_MAX_BUFFERED = key("notify.max-buffered", "1000", "integer", "Notifications a sink subtask buffers (and checkpoints) before it applies backpressure.");
    public static final ConfigKey NOTIFY_MAX_TIME_IN_BUFFER = key("notify.max-time-in-buffer", "1s", "duration", "Longest a notification waits for a fuller batch.");
    public static final ConfigKey NOTIFY_REQUEST_TIMEOUT = key("notify.request-timeout", "5m", "duration", "A request not answered (SDK retries included) in this time is sent again.");
    public static final ConfigKey NOTIFY_API_CALL_ATTEMPT_TIMEOUT = key("notify.api-call-attempt-timeout", "10s", "duration", "Timeout of one HTTP attempt; the SDK retries a timed-out attempt.");
    public static final ConfigKey NOTIFY_API_CALL_TIMEOUT = key("notify.api-call-timeout", "60s", "duration", "Timeout of one API call with all its SDK attempts.");
    public static final ConfigKey NOTIFY_SDK_MAX_ATTEMPTS = key("notify.sdk-max-attempts", "4", "integer", "Attempts per API call by the SDK (standard retry mode: backoff with jitter on throttling, 5xx and timeouts).");
    public static final ConfigKey NOTIFY_RETRY_BACKOFF = key("notify.retry.backoff", "200ms", "duration", "First wait before the sink sends failed notifications again (after the SDK's own attempts); doubles per consecutive failure.");
    public static final ConfigKey NOTIFY_RETRY_MAX_BACKOFF = key("notify.retry.max-backoff", "30s", "duration", "Longest wait between the sink's re-sends.");

    /** Every key Augur knows, in documentation order. */
    public static final List<ConfigKey> KEYS;
    private static final Map<String, ConfigKey> BY_NAME;
    private static List<ConfigKey> declared;

    static {
        KEYS = Collections.unmodifiableList(declared);
        Map<String, ConfigKey> m = new LinkedHashMap<>();
        for (ConfigKey k : KEYS) m.put(k.name(), k);
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private final Map<String, String> values;

    private AugurConfig(Map<String, String> values) {
        this.values = values;
    }

    private static ConfigKey key(String name, String def, String values, String description) {
        if (declared == null) declared = new ArrayList<>();
        ConfigKey k = new ConfigKey(name, def, values, description);
        declared.add(k);
        return k;
    }

    public static AugurConfig defaults() {
        return new AugurConfig(new TreeMap<>());
    }

    public static boolean isKnown(String name) {
        return BY_NAME.containsKey(name) || scopedKey(name) != null;
    }

    /** For a scoped key, the values set per scope (scope = the key after {@link ConfigKey#prefix()}), in key order. */
    public Map<String, String> scoped(ConfigKey k) {
        if (!k.scoped()) throw new IllegalArgumentException(k.name() + " is not a scoped key");
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (scopedKey(e.getKey()) == k) out.put(e.getKey().substring(k.prefix().length()), e.getValue());
        }
        return out;
    }

    /** The scoped key a full key name belongs to, or null. */
    private static ConfigKey scopedKey(String name) {
        for (ConfigKey k : KEYS) {
            if (k.scoped() && name.startsWith(k.prefix()) && name.length() > k.prefix().length()) return k;
        }
        return null;
    }

    /** A copy with {@code overrides} applied; every key is checked. */
    public AugurConfig with(Map<String, String> overrides) {
        Map<String, String> next = new TreeMap<>(values);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            ConfigKey k = known(e.getKey());
            next.put(k.scoped() ? e.getKey().trim() : k.name(), validate(k, e.getValue().trim()));
        }
        return new AugurConfig(next);
    }

    public AugurConfig with(String key, String value) {
        return with(Map.of(key, value));
    }

    /** Reads a YAML (.yaml/.yml, nested maps flattened to dotted keys) or .properties file. */
    public static Map<String, String> readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist (pass --config with the path of a .yaml or .properties file)");
        }
        String name = file.getFileName().toString().toLowerCase();
        Map<String, String> out = new TreeMap<>();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root != null && !root.isNull()) {
                if (!root.isObject()) throw new ConfigException(file + ": expected a mapping of keys to values at the top level");
                flatten("", root, out);
            }
        } else {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
        }
        return out;
    }

    /** Managed Flink runtime properties: property group {@code kinesis} with key {@code metrics.stream} = {@code kinesis.metrics.stream}. */
    public static Map<String, String> fromPropertyGroups(Map<String, Properties> groups) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Properties> g : groups.entrySet()) {
            for (String k : g.getValue().stringPropertyNames()) {
                String full = k.startsWith(g.getKey() + ".") ? k : g.getKey() + "." + k;
                out.put(full, g.getValue().getProperty(k));
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(k, v, out);
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                out.put(k, String.join(",", parts));
            } else {
                out.put(k, v.isNull() ? "" : v.asText());
            }
        }
    }

    public String get(ConfigKey k) {
        return values.getOrDefault(k.name(), k.defaultValue());
    }

    public boolean isSet(ConfigKey k) {
        return !get(k).isEmpty();
    }

    public int getInt(ConfigKey k) {
        return Integer.parseInt(get(k));
    }

    public double getDouble(ConfigKey k) {
        return Double.parseDouble(get(k));
    }

    public Duration getDuration(ConfigKey k) {
        return parseDuration(get(k));
    }

    public List<String> getList(ConfigKey k) {
        List<String> out = new ArrayList<>();
        for (String s : get(k).split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    /** The explicitly set values (not defaults), secrets masked: safe to log. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        for (ConfigKey k : KEYS) {
            String v = get(k);
            out.put(k.name(), isSecret(k) && !v.isEmpty() ? "****" : v);
            if (k.scoped()) scoped(k).forEach((scope, value) -> out.put(k.prefix() + scope, value));
        }
        return out;
    }

    static boolean isSecret(ConfigKey k) {
        return k.name().contains("secret") || k.name().contains("access-key") || k.name().contains("password");
    }

    /** Keys that were removed or renamed: setting one is an error that says what to set instead. */
    private static final Map<String, String> REPLACED = Map.of(
            "dedup.series-window", "dedup.series-window (a count of datapoints) was replaced by dedup.window, a duration"
                    + " (default 6h: how far behind its series' newest datapoint a repeat is still recognised). Remove"
                    + " dedup.series-window; set dedup.window (e.g. dedup.window=12h) only to change the look-back.");

    private static ConfigKey known(String name) {
        String replaced = REPLACED.get(name.trim());
        if (replaced != null) throw new ConfigException(replaced);
        ConfigKey k = BY_NAME.get(name);
        if (k == null || k.scoped()) k = scopedKey(name.trim());
        if (k == null) {
            throw new ConfigException("unknown configuration key '" + name + "'" + suggestion(name) + " (`augur config` lists every key)");
        }
        return k;
    }

    private static String validate(ConfigKey k, String v) {
        List<String> choices = k.choices();
        if (!choices.isEmpty() && !choices.contains(v)) {
            throw new ConfigException(k.name() + "=" + v + " is not valid: use one of " + String.join(", ", choices));
        }
        if (k.values().startsWith("low, medium, high")) {
            if (!isSensitivity(v)) {
                throw new ConfigException(k.name() + "=" + v + " is not valid: use low, medium, high, or a score threshold in (0,1] such as 0.6");
            }
            return v;
        }
        try {
            switch (k.values()) {
                case "duration":
                    parseDuration(v);
                    break;
                case "positive duration":
                    if (parseDuration(v).compareTo(Duration.ZERO) <= 0) throw new IllegalArgumentException("not positive");
                    break;
                case "memory size":
                    if (!v.isEmpty() && MemorySize.parse(v).getBytes() <= 0) throw new IllegalArgumentException("not positive");
                    break;
                case "integer or auto":
                    if (!v.equals("auto") && Long.parseLong(v) < 0) throw new NumberFormatException("negative");
                    break;
                case "compression per level":
                    rocksDbCompression(v);
                    break;
                case "fraction in (0,1)":
                    double share = Double.parseDouble(v);
                    if (!(share > 0 && share < 1)) throw new NumberFormatException("not in (0,1)");
                    break;
                case "integer":
                case "bytes":
                case "datapoints":
                case "characters":
                    if (Long.parseLong(v) < 0) throw new NumberFormatException("negative");
                    break;
                default:
                    break;
            }
        } catch (RuntimeException e) {
            throw new ConfigException(k.name() + "=" + v + " is not valid: expected " + k.values()
                    + (k.values().endsWith("duration") ? " such as 30s, 5m, 2h, 1d or PT5M"
                    : k.values().equals("memory size") ? " such as 8mb, 64mb or 1gb"
                    : k.values().equals("integer or auto") ? " (auto, or a non-negative whole number)"
                    : k.values().equals("fraction in (0,1)") ? " (a number above 0 and below 1, such as 0.3)"
                    : k.values().equals("compression per level") ? ": none, snappy, lz4 or zstd, one per level from level 0, comma-separated, such as lz4,zstd"
                    : " (a non-negative whole number)"));
        }
        return v;
    }

    /**
     * {@link #STATE_ROCKSDB_COMPRESSION}'s value as RocksDB compression types, level 0 first (empty: Flink's default);
     * a name other than none, snappy, lz4 or zstd is refused.
     */
    public static List<org.rocksdb.CompressionType> rocksDbCompression(String v) {
        List<org.rocksdb.CompressionType> out = new ArrayList<>();
        if (v.isBlank()) return out;
        for (String s : v.split(",", -1)) {
            out.add(switch (s.trim()) {
                case "none" -> org.rocksdb.CompressionType.NO_COMPRESSION;
                case "snappy" -> org.rocksdb.CompressionType.SNAPPY_COMPRESSION;
                case "lz4" -> org.rocksdb.CompressionType.LZ4_COMPRESSION;
                case "zstd" -> org.rocksdb.CompressionType.ZSTD_COMPRESSION;
                default -> throw new IllegalArgumentException("unknown compression " + s);
            });
        }
        return out;
    }

    private static boolean isSensitivity(String v) {
        if (v.equals("low") || v.equals("medium") || v.equals("high")) return true;
        try {
            double t = Double.parseDouble(v);
            return t > 0 && t <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** 500ms, 30s, 5m, 2h, 1d, or ISO-8601 (PT5M). */
    public static Duration parseDuration(String s) {
        String v = s.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("bad duration " + s);
            }
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) i++;
        if (i == 0) throw new IllegalArgumentException("bad duration " + s);
        long n = Long.parseLong(v.substring(0, i));
        switch (v.substring(i).trim()) {
            case "ms": return Duration.ofMillis(n);
            case "s": case "": return Duration.ofSeconds(n);
            case "m": case "min": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "d": return Duration.ofDays(n);
            default: throw new IllegalArgumentException("bad duration " + s);
        }
    }

    private static String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : BY_NAME.keySet()) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, name.length() / 3) ? ": did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reads Managed Flink's application properties when running there; empty elsewhere. */
    public static Map<String, String> managedFlinkProperties() {
        try {
            Map<String, Properties> groups = com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime.getApplicationProperties();
            return groups == null ? Map.of() : fromPropertyGroups(groups);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static InputStream resource(String name) {
        return AugurConfig.class.getResourceAsStream(name);
    }
}
