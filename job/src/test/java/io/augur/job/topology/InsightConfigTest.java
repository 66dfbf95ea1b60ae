package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.InsightMessageType;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsightConfigTest {
    @Test
    void coverageFromConfigurationIsRevisionZero() {
        CoverageSettings s = InsightConfig.coverage(AugurConfig.defaults().with(Map.of("insights.coverage.mode", "tags",
                "insights.coverage.tag-key", "Devops-Guru-App", "insights.coverage.tag-values", "checkout, search")));
        assertThat(s.getRevision()).isZero();
        assertThat(s.getMode()).isEqualTo(CoverageMode.TAGS);
        assertThat(s.getTagKey()).isEqualTo("Devops-Guru-App");
        assertThat(s.getTagValues()).containsExactly("checkout", "search");
        assertThatThrownBy(() -> InsightConfig.coverage(AugurConfig.defaults().with("insights.coverage.mode", "stacks")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set insights.coverage.stacks");
        assertThatThrownBy(() -> InsightConfig.coverage(AugurConfig.defaults().with(Map.of("insights.coverage.mode", "tags",
                "insights.coverage.tag-key", "app")))).isInstanceOf(ConfigException.class).hasMessageContaining("devops-guru-");
    }

    @Test
    void theDatapointFilterIsInTheJobWhenCoverageCanExcludeSomething() {
        AugurConfig d = AugurConfig.defaults();
        assertThat(AugurTopology.filtersDatapoints(d, InsightConfig.coverage(d))).isFalse();
        AugurConfig stacks = d.with(Map.of("insights.coverage.mode", "stacks", "insights.coverage.stacks", "checkout-prod"));
        assertThat(AugurTopology.filtersDatapoints(stacks, InsightConfig.coverage(stacks))).isTrue();
        AugurConfig accounts = d.with("insights.coverage.accounts", "123456789012");
        assertThat(AugurTopology.filtersDatapoints(accounts, InsightConfig.coverage(accounts))).isTrue();
        AugurConfig control = d.with("insights.coverage.control-dir", "/tmp/coverage");
        assertThat(AugurTopology.filtersDatapoints(control, InsightConfig.coverage(control))).isTrue();
        AugurConfig forced = d.with("insights.coverage.filter-datapoints", "true");
        assertThat(AugurTopology.filtersDatapoints(forced, InsightConfig.coverage(forced))).isTrue();
    }

    @Test
    void notificationFilters() {
        var f = InsightConfig.notifications(AugurConfig.defaults().with(Map.of("insights.notify.severities", "medium,HIGH",
                "insights.notify.message-types", "NEW_INSIGHT,CLOSED_INSIGHT")));
        assertThat(f.severities()).isEqualTo(EnumSet.of(Severity.MEDIUM, Severity.HIGH));
        assertThat(f.messageTypes()).isEqualTo(EnumSet.of(InsightMessageType.NEW_INSIGHT, InsightMessageType.CLOSED_INSIGHT));
        assertThatThrownBy(() -> InsightConfig.notifications(AugurConfig.defaults().with("insights.notify.severities", "CRITICAL")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LOW, MEDIUM, HIGH");
    }
}
