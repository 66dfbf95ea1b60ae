package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster entry class's program arguments: the file, then --set overrides; anything else is an error that says what it takes. */
class JobArgsTest {
    @Test
    void theFileThenTheOverrides(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("augur.yaml"), "kinesis:\n  region: eu-west-1\n  metrics:\n    stream: m\njob:\n  name: from-file\n");
        AugurConfig cfg = JobArgs.parse("--config", file.toString(), "--set", "job.name=from-flag", "-s", "checkpoint.interval=5s");
        assertThat(cfg.get(AugurConfig.KINESIS_REGION)).isEqualTo("eu-west-1");
        assertThat(cfg.get(AugurConfig.KINESIS_METRICS_STREAM)).isEqualTo("m");
        assertThat(cfg.get(AugurConfig.JOB_NAME)).isEqualTo("from-flag");
        assertThat(cfg.get(AugurConfig.CHECKPOINT_INTERVAL)).isEqualTo("5s");
        assertThat(JobArgs.parse().get(AugurConfig.JOB_NAME)).as("no arguments: defaults").isEqualTo("augur");
    }

    @Test
    void unknownArgumentsAndKeysAreConfigurationErrors() {
        assertThatThrownBy(() -> JobArgs.parse("run", "--config", "x.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("the job takes --config FILE and --set key=value");
        assertThatThrownBy(() -> JobArgs.parse("--set", "kinesis.regoin=eu-west-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'kinesis.region'");
    }
}
