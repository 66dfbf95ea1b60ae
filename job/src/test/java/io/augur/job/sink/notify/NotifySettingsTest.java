package io.augur.job.sink.notify;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.schema.InsightNotification;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifySettingsTest {
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:augur";

    private static NotifySettings settings(Map<String, String> m) {
        return NotifySettings.from(AugurConfig.defaults().with(m));
    }

    @Test
    void nothingIsOnByDefaultAndTheDefaultsAreValid() {
        NotifySettings s = NotifySettings.from(AugurConfig.defaults());
        assertThat(s.sinks).isEmpty();
        assertThat(s.eventSource).isEqualTo("augur.devops-guru");
        assertThat(s.eventBusName).isEqualTo("default");
        assertThat(s.opsSource).isEqualTo("Augur");
        assertThat(s.maxBatchSize).isEqualTo(10);
    }

    @Test
    void anAwsSourceIsRefusedWithTheFix() {
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "eventbridge", "notify.eventbridge.source", "aws.devops-guru")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("notify.eventbridge.source=aws.devops-guru is not allowed")
                .hasMessageContaining("use your own, e.g. augur.devops-guru");
    }

    @Test
    void snsNeedsOneOrTwoTopicArns() {
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "sns"))).hasMessageContaining("notify.sns.topic-arns is empty");
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "sns", "notify.sns.topic-arns", TOPIC + "," + TOPIC + "-2," + TOPIC + "-3")))
                .hasMessageContaining("at most 2");
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "sns", "notify.sns.topic-arns", "augur")))
                .hasMessageContaining("'augur' is not an SNS topic ARN");
        assertThat(settings(Map.of("notify.sinks", "sns", "notify.sns.topic-arns", TOPIC + ", " + TOPIC + ".fifo")).snsTopicArns())
                .containsExactly(TOPIC, TOPIC + ".fifo");
    }

    @Test
    void otherMistakesNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "sqs"))).hasMessageContaining("use sns, eventbridge and/or opscenter");
        assertThatThrownBy(() -> settings(Map.of("notify.opscenter.source", "AWS tooling"))).hasMessageContaining("without 'aws', 'amazon' or 'amzn'");
        assertThatThrownBy(() -> settings(Map.of("notify.max-batch-size", "25"))).hasMessageContaining("use 1 to 10");
        assertThatThrownBy(() -> settings(Map.of("notify.sns.severities", "CRITICAL"))).hasMessageContaining("use LOW, MEDIUM and/or HIGH");
        assertThatThrownBy(() -> settings(Map.of("notify.credentials.provider", "BASIC"))).hasMessageContaining("notify.credentials.secret-key");
        assertThatThrownBy(() -> settings(Map.of("notify.sns.endpoint", "localhost:4566"))).hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> AugurConfig.defaults().with("notify.opscenter.category", "Latency")).hasMessageContaining("Availability, Cost, Performance, Recovery, Security");
        assertThatThrownBy(() -> settings(Map.of("notify.sinks", "sns", "notify.sns.topic-arns", TOPIC, "notify.request-timeout", "10s")))
                .hasMessageContaining("raise it");
    }

    @Test
    void credentialsAreNeverShown() {
        NotifySettings s = settings(Map.of("notify.sinks", "sns", "notify.sns.topic-arns", TOPIC, "notify.credentials.provider", "BASIC",
                "notify.credentials.access-key-id", "AKIAEXAMPLEKEY", "notify.credentials.secret-key", "s3cr3t/value"));
        assertThat(s.toString()).doesNotContain("AKIAEXAMPLEKEY").doesNotContain("s3cr3t").contains("BASIC");
        AugurConfig cfg = AugurConfig.defaults().with(Map.of("notify.credentials.access-key-id", "AKIAEXAMPLEKEY", "notify.credentials.secret-key", "s3cr3t/value"));
        assertThat(cfg.describe().toString()).doesNotContain("AKIAEXAMPLEKEY").doesNotContain("s3cr3t");
    }

    @Test
    void theSinksHaveFixedUids() {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of("notify.sinks", "sns,eventbridge,opscenter",
                "notify.sns.topic-arns", TOPIC + "," + TOPIC + ".fifo"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Notifications.attach(env.fromData(java.util.List.of(InsightEvents.event(0, 0, 1)), new AvroTypeInfo<>(InsightNotification.class)).uid("in"), cfg);
        Set<String> uids = new TreeSet<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) {
            assertThat(n.getTransformationUID()).as("uid of %s", n.getOperatorName()).isNotBlank();
            uids.add(n.getTransformationUID());
        }
        assertThat(uids).contains("sns-filter", "sns-sink", "sns-sink-2", "eventbridge-sink", "opscenter-sink");
        assertThat(Notifications.attach(env.fromData(java.util.List.of(InsightEvents.event(0, 0, 1)), new AvroTypeInfo<>(InsightNotification.class)),
                AugurConfig.defaults())).isEmpty();
    }
}
