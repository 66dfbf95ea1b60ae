package io.augur.job.sink.notify;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.ops.notify.NotificationFilter;
import io.augur.ops.notify.OpsItemPlan;
import io.augur.schema.InsightMessageType;
import io.augur.schema.Severity;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The notification sinks' settings, read and checked from {@code notify.*} once when the job is built: every error
 * names the key and the fix. Serializable (it travels with the sinks to the task managers); {@link #toString()} never
 * shows credentials.
 */
public final class NotifySettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Sink { SNS, EVENTBRIDGE, OPSCENTER }

    final EnumSet<Sink> sinks;
    final String region;
    final String credentialsProvider;
    private final String accessKeyId;
    private final String secretKey;
    final String profile;
    final List<String> snsTopicArns;
    final String snsEndpoint;
    final NotificationFilter snsFilter;
    final String eventBusName;
    final String eventSource;
    final String eventBridgeEndpoint;
    final String opsCategory;
    final String opsSource;
    final String opsEndpoint;
    final int opsRememberedItems;
    final int maxBatchSize;
    final int maxInFlight;
    final int maxBuffered;
    final long maxTimeInBufferMs;
    final long requestTimeoutMs;
    final Duration apiCallAttemptTimeout;
    final Duration apiCallTimeout;
    final int sdkMaxAttempts;
    final Duration retryBackoff;
    final Duration retryMaxBackoff;

    private NotifySettings(AugurConfig cfg) {
        sinks = EnumSet.noneOf(Sink.class);
        for (String s : cfg.getList(AugurConfig.NOTIFY_SINKS)) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "sns": sinks.add(Sink.SNS); break;
                case "eventbridge": sinks.add(Sink.EVENTBRIDGE); break;
                case "opscenter": sinks.add(Sink.OPSCENTER); break;
                default: throw new ConfigException("notify.sinks: unknown sink '" + s + "': use sns, eventbridge and/or opscenter, comma-separated");
            }
        }
        region = cfg.get(AugurConfig.NOTIFY_REGION);
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new ConfigException("notify.region=" + region + " is not an AWS region (such as us-east-1)");
        }
        credentialsProvider = cfg.get(AugurConfig.NOTIFY_CREDENTIALS);
        accessKeyId = cfg.get(AugurConfig.NOTIFY_ACCESS_KEY);
        secretKey = cfg.get(AugurConfig.NOTIFY_SECRET_KEY);
        profile = cfg.get(AugurConfig.NOTIFY_PROFILE);
        if ("BASIC".equals(credentialsProvider) && (accessKeyId.isEmpty() || secretKey.isEmpty())) {
            throw new ConfigException("notify.credentials.provider=BASIC needs notify.credentials.access-key-id and notify.credentials.secret-key");
        }

        snsTopicArns = cfg.getList(AugurConfig.NOTIFY_SNS_TOPICS);
        if (sinks.contains(Sink.SNS)) {
            if (snsTopicArns.isEmpty()) {
                throw new ConfigException("notify.sinks includes sns but notify.sns.topic-arns is empty: set one or two topic ARNs (arn:aws:sns:REGION:ACCOUNT:NAME)");
            }
            if (snsTopicArns.size() > 2) {
                throw new ConfigException("notify.sns.topic-arns has " + snsTopicArns.size() + " topics: at most 2 (as in DevOps Guru); subscribe further endpoints to one of them");
            }
            if (snsTopicArns.stream().distinct().count() != snsTopicArns.size()) {
                throw new ConfigException("notify.sns.topic-arns names the same topic twice");
            }
            for (String arn : snsTopicArns) {
                if (!arn.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,251}(\\.fifo)?")) {
                    throw new ConfigException("notify.sns.topic-arns: '" + arn + "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME, NAME ending in .fifo for a FIFO topic)");
                }
            }
        }
        snsEndpoint = endpoint(cfg, AugurConfig.NOTIFY_SNS_ENDPOINT.name(), cfg.get(AugurConfig.NOTIFY_SNS_ENDPOINT));
        snsFilter = new NotificationFilter(severities(cfg.getList(AugurConfig.NOTIFY_SNS_SEVERITIES)), messageTypes(cfg.getList(AugurConfig.NOTIFY_SNS_MESSAGE_TYPES)));

        eventBusName = cfg.get(AugurConfig.NOTIFY_EVENTBRIDGE_BUS);
        if (eventBusName.isBlank()) throw new ConfigException("notify.eventbridge.bus-name is empty: use default or the name or ARN of a custom bus");
        eventSource = cfg.get(AugurConfig.NOTIFY_EVENTBRIDGE_SOURCE);
        if (eventSource.isBlank() || eventSource.length() > 256) {
            throw new ConfigException("notify.eventbridge.source must be 1-256 characters, e.g. augur.devops-guru");
        }
        if (eventSource.toLowerCase(Locale.ROOT).startsWith("aws.")) {
            throw new ConfigException("notify.eventbridge.source=" + eventSource + " is not allowed: sources starting with 'aws.' are reserved for AWS services "
                    + "and PutEvents rejects them; use your own, e.g. augur.devops-guru, and match that source in your rules' event patterns");
        }
        eventBridgeEndpoint = endpoint(cfg, AugurConfig.NOTIFY_EVENTBRIDGE_ENDPOINT.name(), cfg.get(AugurConfig.NOTIFY_EVENTBRIDGE_ENDPOINT));

        opsCategory = cfg.get(AugurConfig.NOTIFY_OPSCENTER_CATEGORY);
        opsSource = cfg.get(AugurConfig.NOTIFY_OPSCENTER_SOURCE);
        String bad = OpsItemPlan.checkSource(opsSource);
        if (bad != null) throw new ConfigException("notify.opscenter.source: " + bad);
        opsEndpoint = endpoint(cfg, AugurConfig.NOTIFY_OPSCENTER_ENDPOINT.name(), cfg.get(AugurConfig.NOTIFY_OPSCENTER_ENDPOINT));
        opsRememberedItems = Math.max(1, cfg.getInt(AugurConfig.NOTIFY_OPSCENTER_MAX_ITEMS));

        maxBatchSize = cfg.getInt(AugurConfig.NOTIFY_MAX_BATCH);
        if (maxBatchSize < 1 || maxBatchSize > 10) {
            throw new ConfigException("notify.max-batch-size=" + maxBatchSize + " is not valid: use 1 to 10 (PublishBatch and PutEvents take at most 10 entries)");
        }
        maxInFlight = cfg.getInt(AugurConfig.NOTIFY_MAX_IN_FLIGHT);
        if (maxInFlight < 1) throw new ConfigException("notify.max-in-flight must be at least 1");
        maxBuffered = cfg.getInt(AugurConfig.NOTIFY_MAX_BUFFERED);
        if (maxBuffered <= maxBatchSize) {
            throw new ConfigException("notify.max-buffered=" + maxBuffered + " must be larger than notify.max-batch-size=" + maxBatchSize);
        }
        maxTimeInBufferMs = Math.max(1, cfg.getDuration(AugurConfig.NOTIFY_MAX_TIME_IN_BUFFER).toMillis());
        requestTimeoutMs = cfg.getDuration(AugurConfig.NOTIFY_REQUEST_TIMEOUT).toMillis();
        apiCallAttemptTimeout = cfg.getDuration(AugurConfig.NOTIFY_API_CALL_ATTEMPT_TIMEOUT);
        apiCallTimeout = cfg.getDuration(AugurConfig.NOTIFY_API_CALL_TIMEOUT);
        sdkMaxAttempts = Math.max(1, cfg.getInt(AugurConfig.NOTIFY_SDK_MAX_ATTEMPTS));
        retryBackoff = cfg.getDuration(AugurConfig.NOTIFY_RETRY_BACKOFF);
        retryMaxBackoff = cfg.getDuration(AugurConfig.NOTIFY_RETRY_MAX_BACKOFF);
        if (apiCallTimeout.compareTo(apiCallAttemptTimeout) < 0) {
            throw new ConfigException("notify.api-call-timeout must be at least notify.api-call-attempt-timeout");
        }
        long minimum = apiCallTimeout.toMillis() + retryMaxBackoff.toMillis();
        if (!sinks.isEmpty() && requestTimeoutMs < minimum) {
            throw new ConfigException("notify.request-timeout=" + cfg.get(AugurConfig.NOTIFY_REQUEST_TIMEOUT) + " is shorter than one API call with its SDK retries and the sink's backoff ("
                    + minimum + " ms = notify.api-call-timeout + notify.retry.max-backoff): raise it, or lower those");
        }
    }

    public static NotifySettings from(AugurConfig cfg) {
        return new NotifySettings(cfg);
    }

    /**
     * The sink's own timeout for one request, after which its notifications are sent again. An OpsCenter request
     * applies up to {@code max-batch-size} notifications of one insight one after the other, with a lookup each at
     * most, so its timeout is stretched to cover that.
     */
    long requestTimeoutMs(Sink s) {
        if (s != Sink.OPSCENTER) return requestTimeoutMs;
        return Math.max(requestTimeoutMs, 2L * maxBatchSize * apiCallTimeout.toMillis() + retryMaxBackoff.toMillis());
    }

    public boolean on(Sink s) {
        return sinks.contains(s);
    }

    public List<String> snsTopicArns() {
        return snsTopicArns;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretKey() {
        return secretKey;
    }

    private static String endpoint(AugurConfig cfg, String key, String v) {
        if (v.isEmpty()) return v;
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + "=" + v + " is not an http(s) URL such as http://127.0.0.1:5000");
        }
    }

    private static EnumSet<Severity> severities(List<String> values) {
        EnumSet<Severity> out = EnumSet.noneOf(Severity.class);
        for (String v : values) {
            try {
                out.add(Severity.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("notify.sns.severities: '" + v + "' is not a severity: use LOW, MEDIUM and/or HIGH");
            }
        }
        if (out.isEmpty()) throw new ConfigException("notify.sns.severities is empty: list at least one of LOW, MEDIUM, HIGH (or turn SNS off in notify.sinks)");
        return out;
    }

    private static EnumSet<InsightMessageType> messageTypes(List<String> values) {
        EnumSet<InsightMessageType> out = EnumSet.noneOf(InsightMessageType.class);
        for (String v : values) {
            try {
                out.add(InsightMessageType.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("notify.sns.message-types: '" + v + "' is not a message type: use NEW_INSIGHT, NEW_ASSOCIATION, SEVERITY_UPGRADED, NEW_RECOMMENDATION, CLOSED_INSIGHT");
            }
        }
        if (out.isEmpty()) throw new ConfigException("notify.sns.message-types is empty: list at least one message type (or turn SNS off in notify.sinks)");
        return out;
    }

    /** Safe to log: credentials are masked. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("sinks=" + sinks);
        parts.add("region=" + region);
        parts.add("credentials=" + credentialsProvider + (accessKeyId.isEmpty() ? "" : " (access key ****)"));
        if (on(Sink.SNS)) parts.add("snsTopics=" + snsTopicArns + " snsFilter{" + snsFilter + "}");
        if (on(Sink.EVENTBRIDGE)) parts.add("eventBus=" + eventBusName + " source=" + eventSource);
        if (on(Sink.OPSCENTER)) parts.add("opsCenter{category=" + opsCategory + ", source=" + opsSource + "}");
        return "NotifySettings{" + String.join(", ", parts) + "}";
    }
}
