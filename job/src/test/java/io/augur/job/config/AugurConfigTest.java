package io.augur.job.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AugurConfigTest {
    @Test
    void defaultsApplyUntilSomethingOverridesThem() {
        AugurConfig cfg = AugurConfig.defaults();
        assertThat(cfg.get(AugurConfig.KINESIS_REGION)).isEqualTo("us-east-1");
        assertThat(cfg.getDuration(AugurConfig.WATERMARK_OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(cfg.with("kinesis.region", "eu-west-1").get(AugurConfig.KINESIS_REGION)).isEqualTo("eu-west-1");
    }

    @Test
    void yamlFilesAreFlattenedToDottedKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("augur.yaml");
        Files.writeString(f, "kinesis:\n  region: ap-south-1\n  metrics:\n    stream: m\nreplay:\n  metrics: [a.ndjson, b.ndjson]\nwatermark.idleness: 30s\n");
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.readFile(f));
        assertThat(cfg.get(AugurConfig.KINESIS_REGION)).isEqualTo("ap-south-1");
        assertThat(cfg.get(AugurConfig.KINESIS_METRICS_STREAM)).isEqualTo("m");
        assertThat(cfg.getList(AugurConfig.REPLAY_METRICS)).containsExactly("a.ndjson", "b.ndjson");
        assertThat(cfg.getDuration(AugurConfig.WATERMARK_IDLENESS)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void propertiesFilesAndManagedFlinkPropertyGroupsUseTheSameKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("augur.properties");
        Files.writeString(f, "kinesis.events.stream=e\n");
        assertThat(AugurConfig.defaults().with(AugurConfig.readFile(f)).get(AugurConfig.KINESIS_EVENTS_STREAM)).isEqualTo("e");

        Properties kinesis = new Properties();
        kinesis.setProperty("metrics.stream", "arn:aws:kinesis:us-east-1:123456789012:stream/m");
        kinesis.setProperty("region", "us-east-1");
        Properties job = new Properties();
        job.setProperty("job.parallelism", "4"); // full key inside its own group is accepted too
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.fromPropertyGroups(Map.of("kinesis", kinesis, "job", job)));
        assertThat(cfg.get(AugurConfig.KINESIS_METRICS_STREAM)).isEqualTo("arn:aws:kinesis:us-east-1:123456789012:stream/m");
        assertThat(cfg.getInt(AugurConfig.JOB_PARALLELISM)).isEqualTo(4);
    }

    @Test
    void errorsNameTheFix() {
        assertThatThrownBy(() -> AugurConfig.defaults().with("kinesis.regoin", "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'kinesis.region'");
        assertThatThrownBy(() -> AugurConfig.defaults().with("watermark.idleness", "soon"))
                .hasMessageContaining("such as 30s, 5m");
        assertThatThrownBy(() -> AugurConfig.defaults().with("kinesis.initial-position", "EARLIEST"))
                .hasMessageContaining("LATEST, TRIM_HORIZON, AT_TIMESTAMP");
    }

    @Test
    void secretsAreNeverShown() {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of("kinesis.credentials.secret-key", "s3cr3t", "kinesis.credentials.access-key-id", "AKIA"));
        assertThat(cfg.describe().toString()).doesNotContain("s3cr3t").doesNotContain("AKIA");
    }
}
