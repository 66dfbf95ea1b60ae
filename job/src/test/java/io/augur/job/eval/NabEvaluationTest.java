package io.augur.job.eval;

import io.augur.ops.detect.BaselineDetector;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.detect.Score;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.schema.SeriesBaseline;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `augur eval nab` runs the job's own scoring operator through Flink: its scores equal the detector's, row for row. */
class NabEvaluationTest {
    @Test
    void flinkScoresEveryRowExactlyAsTheDetectorDoes() throws Exception {
        Optional<Path> dir = NabCorpus.locate();
        assumeTrue(dir.isPresent(), "NAB data (../shared/nab) not present");
        NabCorpus corpus = NabCorpus.load(dir.get()).category("realAWSCloudwatch");
        DetectorSettings settings = DetectorSettings.defaults();

        Map<String, double[]> viaFlink = new NabEvaluation(corpus, 2).run(settings);

        BaselineDetector detector = new BaselineDetector(settings);
        assertThat(viaFlink).hasSize(corpus.files().size());
        for (NabFile f : corpus.files()) {
            SeriesBaseline state = detector.newState();
            double[] expected = new double[f.rows()];
            for (int i = 0; i < f.rows(); i++) {
                Score s = detector.score(state, f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli(), f.values()[i]);
                expected[i] = s.warm() ? s.anomalyScore() : 0.0;
            }
            assertThat(viaFlink.get(f.name())).as(f.name()).containsExactly(expected);
        }
    }
}
