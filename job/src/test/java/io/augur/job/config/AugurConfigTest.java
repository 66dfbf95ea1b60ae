package io.augur.job.config;

import io.augur.job.AugurJob;
import io.augur.job.topology.AnomalyStep;
import io.augur.job.topology.AugurTopology;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.anomaly.ForecastExhaustion;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    void rocksDbMemtablesAreSmallByDefaultSoThatASlotsColumnFamiliesFitItsWriteBufferBudget() {
        Configuration flink = AugurJob.flinkConfiguration(AugurConfig.defaults(), false);
        assertThat(flink.get(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE)).isEqualTo(MemorySize.parse("8mb"));
        assertThat(AugurJob.flinkConfiguration(AugurConfig.defaults(), true).get(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE))
                .isEqualTo(MemorySize.parse("8mb"));
        Configuration larger = AugurJob.flinkConfiguration(AugurConfig.defaults().with("state.rocksdb.write-buffer-size", "32mb"), false);
        assertThat(larger.get(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE)).isEqualTo(MemorySize.parse("32mb"));
        // empty: Flink's own default (64 MB), not set by Augur
        Configuration flinks = AugurJob.flinkConfiguration(AugurConfig.defaults().with("state.rocksdb.write-buffer-size", ""), false);
        assertThat(flinks.contains(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE)).isFalse();
        assertThatThrownBy(() -> AugurConfig.defaults().with("state.rocksdb.write-buffer-size", "lots"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("such as 8mb, 64mb or 1gb");
        assertThatThrownBy(() -> AugurConfig.defaults().with("state.rocksdb.write-buffer-size", "0b"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.rocksdb.write-buffer-size=0b is not valid");
    }

    @Test
    void theScoringChainsCachesAreSizedFromTheHeapByDefaultOrByANumber() {
        AugurConfig defaults = AugurConfig.defaults();
        for (ConfigKey k : List.of(AugurConfig.DETECTOR_RECENT_BASELINES, AugurConfig.DEDUP_RECENT_SERIES, AugurConfig.ANOMALY_RECENT_CONTEXTS)) {
            assertThat(defaults.get(k)).as(k.name()).isEqualTo("auto");
            assertThat(AugurTopology.cacheCapacity(defaults, k).isAuto()).as(k.name()).isTrue();
            CacheCapacity fixed = AugurTopology.cacheCapacity(defaults.with(k.name(), "60000"), k);
            assertThat(fixed.isAuto()).isFalse();
            assertThat(fixed.toString()).isEqualTo("60000");
            assertThatThrownBy(() -> defaults.with(k.name(), "lots")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(k.name() + "=lots is not valid").hasMessageContaining("auto, or a non-negative whole number");
        }
        assertThat(AugurTopology.cacheCapacity(defaults.with("cache.heap-share", "0.5"), AugurConfig.DETECTOR_RECENT_BASELINES).toString())
                .isEqualTo("auto (0.5 of the slot's heap)");
        // the forecaster's histories: its own part of the heap share, at its own heap per series
        assertThat(defaults.get(AugurConfig.ANOMALY_RECENT_FORECASTS)).isEqualTo("auto");
        CacheCapacity histories = AnomalyStep.recentForecasts(defaults.with("cache.heap-share", "0.4"));
        assertThat(histories.isAuto()).isTrue();
        assertThat(histories.bytesPerSeries()).isEqualTo(ForecastExhaustion.HEAP_BYTES_PER_HISTORY);
        assertThat(histories.toString()).startsWith("auto (" + 0.4 * ForecastExhaustion.HEAP_SHARE_FRACTION + " of the slot's heap");
        assertThat(AnomalyStep.recentForecasts(defaults.with("anomaly.recent-forecasts", "500")).toString()).isEqualTo("500");
        assertThat(AnomalyStep.recentForecasts(defaults.with("anomaly.recent-forecasts", "0")).toString()).isEqualTo("0");
        assertThatThrownBy(() -> defaults.with("anomaly.recent-forecasts", "lots")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("anomaly.recent-forecasts=lots is not valid").hasMessageContaining("auto, or a non-negative whole number");
        for (String bad : List.of("0", "1", "1.5", "-0.2", "half")) {
            assertThatThrownBy(() -> defaults.with("cache.heap-share", bad)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cache.heap-share=" + bad + " is not valid").hasMessageContaining("above 0 and below 1");
        }
    }

    @Test
    void theDedupWindowIsADurationAndTheOldCountKeyNamesItsReplacement(@TempDir Path dir) throws Exception {
        assertThat(AugurConfig.defaults().getDuration(AugurConfig.DEDUP_WINDOW)).isEqualTo(Duration.ofHours(6));
        assertThat(AugurConfig.defaults().with("dedup.window", "12h").getDuration(AugurConfig.DEDUP_WINDOW)).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> AugurConfig.defaults().with("dedup.window", "0s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dedup.window=0s is not valid").hasMessageContaining("such as 30s");
        assertThatThrownBy(() -> AugurConfig.defaults().with("dedup.series-window", "32"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("replaced by dedup.window").hasMessageContaining("Remove dedup.series-window");
        Path f = dir.resolve("augur.yaml");
        Files.writeString(f, "dedup:\n  series-window: 64\n");
        assertThatThrownBy(() -> AugurConfig.defaults().with(AugurConfig.readFile(f))).hasMessageContaining("replaced by dedup.window");
    }

    @Test
    void secretsAreNeverShown() {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of("kinesis.credentials.secret-key", "s3cr3t", "kinesis.credentials.access-key-id", "AKIA"));
        assertThat(cfg.describe().toString()).doesNotContain("s3cr3t").doesNotContain("AKIA");
    }

    @Test
    void detectorSensitivityAndDirectionCanBeSetPerNamespaceOrMetric(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("augur.yaml");
        Files.writeString(f, "detector:\n  sensitivity: low\n  sensitivity.AWS/Lambda: high\n  direction.AWS/Lambda/Errors: both\n"
                + "detector.sensitivity.AWS/RDS/CPUUtilization: \"0.6\"\n");
        Properties group = new Properties();
        group.setProperty("direction.AWS/SQS", "drop");
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.readFile(f))
                .with(AugurConfig.fromPropertyGroups(Map.of("detector", group)));
        assertThat(cfg.get(AugurConfig.DETECTOR_SENSITIVITY)).isEqualTo("low");
        assertThat(cfg.scoped(AugurConfig.DETECTOR_SENSITIVITY_SCOPED))
                .containsExactly(Map.entry("AWS/Lambda", "high"), Map.entry("AWS/RDS/CPUUtilization", "0.6"));
        assertThat(cfg.scoped(AugurConfig.DETECTOR_DIRECTION_SCOPED))
                .containsExactly(Map.entry("AWS/Lambda/Errors", "both"), Map.entry("AWS/SQS", "drop"));
        assertThat(cfg.describe()).containsEntry("detector.direction.AWS/SQS", "drop").containsEntry("detector.sensitivity." + ConfigKey.SCOPE, "");
        assertThat(AugurConfig.isKnown("detector.sensitivity.AWS/EC2")).isTrue();
        assertThat(AugurConfig.isKnown("detector.sensitivity.")).isFalse();

        assertThatThrownBy(() -> AugurConfig.defaults().with("detector.direction.AWS/Lambda/Errors", "up"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use one of rise, drop, both");
        assertThatThrownBy(() -> AugurConfig.defaults().with("detector.sensitivity.AWS/Lambda", "very"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("low, medium, high, or a score threshold in (0,1]");
        assertThatThrownBy(() -> AugurConfig.defaults().with("detector.sensitivity", "2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("low, medium, high");
        assertThatThrownBy(() -> AugurConfig.defaults().with("detector.sensitivty.AWS/Lambda", "high"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown configuration key");
    }
}
