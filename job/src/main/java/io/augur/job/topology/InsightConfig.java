package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.ops.coverage.AwsMemberships;
import io.augur.ops.coverage.Coverage;
import io.augur.ops.insight.InsightSettings;
import io.augur.ops.insight.NotificationFilter;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;

/** The insight stage's settings from Augur's configuration; inconsistent values are errors that name the fix. */
public final class InsightConfig {
    private InsightConfig() {}

    /** The coverage of the configuration: revision 0, which any control document (revision 1 and up) replaces. */
    public static CoverageSettings coverage(AugurConfig cfg) {
        CoverageMode mode = CoverageMode.valueOf(cfg.get(AugurConfig.COVERAGE_MODE).toUpperCase());
        CoverageSettings s = CoverageSettings.newBuilder().setRevision(0).setMode(mode).setAccounts(cfg.getList(AugurConfig.COVERAGE_ACCOUNTS))
                .setStackNames(cfg.getList(AugurConfig.COVERAGE_STACKS))
                .setTagKey(cfg.isSet(AugurConfig.COVERAGE_TAG_KEY) ? cfg.get(AugurConfig.COVERAGE_TAG_KEY) : null)
                .setTagValues(cfg.getList(AugurConfig.COVERAGE_TAG_VALUES)).setOrigin("configuration").build();
        try {
            return Coverage.validate(s);
        } catch (IllegalArgumentException e) {
            String fix = mode == CoverageMode.STACKS ? "set insights.coverage.stacks" : "set insights.coverage.tag-key";
            throw new ConfigException("insights.coverage.mode=" + cfg.get(AugurConfig.COVERAGE_MODE) + ": " + e.getMessage() + " (" + fix + ")");
        }
    }

    public static InsightSettings insights(AugurConfig cfg) {
        try {
            return new InsightSettings(cfg.getDuration(AugurConfig.INSIGHT_CLOSE_GRACE), cfg.getDuration(AugurConfig.INSIGHT_ANOMALY_TIMEOUT),
                    cfg.getDuration(AugurConfig.INSIGHT_REPEAT_WINDOW), cfg.getDuration(AugurConfig.INSIGHT_LOOKBACK),
                    cfg.getDuration(AugurConfig.INSIGHT_CAUSE_WINDOW), cfg.getDuration(AugurConfig.INSIGHT_EVENT_RETENTION),
                    cfg.getInt(AugurConfig.INSIGHT_MAX_RELATED), cfg.getInt(AugurConfig.INSIGHT_MAX_ANOMALIES), 500,
                    cfg.get(AugurConfig.INSIGHT_URL_TEMPLATE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public static NotificationFilter notifications(AugurConfig cfg) {
        try {
            return NotificationFilter.of(cfg.getList(AugurConfig.NOTIFY_SEVERITIES), cfg.getList(AugurConfig.NOTIFY_MESSAGE_TYPES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("insights.notify.*: " + e.getMessage()
                    + " (severities: LOW, MEDIUM, HIGH; message types: NEW_INSIGHT, NEW_ASSOCIATION, SEVERITY_UPGRADED, NEW_RECOMMENDATION, CLOSED_INSIGHT)");
        }
    }

    public static AwsMemberships.Settings aws(AugurConfig cfg) {
        return new AwsMemberships.Settings(cfg.get(AugurConfig.COVERAGE_AWS_REGION), cfg.get(AugurConfig.COVERAGE_AWS_ENDPOINT),
                cfg.get(AugurConfig.COVERAGE_AWS_ACCESS_KEY), cfg.get(AugurConfig.COVERAGE_AWS_SECRET_KEY));
    }
}
