package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.detect.DetectorSettings.DirectionFilter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DetectorSettingsConfigTest {
    @Test
    void theJobsDetectorSettingsComeFromTheConfiguration() {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of(
                "detector.sensitivity", "high",
                "detector.sensitivity.AWS/Lambda", "low",
                "detector.sensitivity.AWS/Lambda/Errors", "0.45",
                "detector.direction.AWS/Lambda/Errors", "both",
                "detector.direction.AWS/EC2", "rise"));
        DetectorSettings s = AugurTopology.detectorSettings(cfg);
        assertThat(s.threshold()).isEqualTo(DetectorSettings.Sensitivity.HIGH.threshold());
        assertThat(s.threshold("AWS/Lambda", "Duration")).isEqualTo(DetectorSettings.Sensitivity.LOW.threshold());
        assertThat(s.threshold("AWS/Lambda", "Errors")).isEqualTo(0.45);
        assertThat(s.threshold("AWS/RDS", "CPUUtilization")).isEqualTo(DetectorSettings.Sensitivity.HIGH.threshold());
        assertThat(s.direction("AWS/Lambda", "Errors")).isEqualTo(DirectionFilter.BOTH);
        assertThat(s.direction("AWS/Lambda", "Throttles")).isEqualTo(DirectionFilter.RISE);
        assertThat(s.direction("AWS/EC2", "CPUUtilization")).isEqualTo(DirectionFilter.RISE);
        assertThat(s.direction("AWS/RDS", "FreeStorageSpace")).isEqualTo(DirectionFilter.DROP);

        DetectorSettings shipped = AugurTopology.detectorSettings(AugurConfig.defaults());
        assertThat(shipped.threshold()).isEqualTo(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(shipped.thresholdOverrides()).isEmpty();
        assertThat(shipped.directionOverrides()).isEmpty();
    }
}
