package io.augur.ops.eval.nab;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reproduces the reference table of {@code shared/nab/README.md} from the detector outputs NAB published
 * ({@code reference-results/}). The folder is {@code ../shared/nab} next to the repository, or the system
 * property {@code augur.nab.dir}; without either the test is skipped (it fails if the property names a missing
 * folder).
 */
class NabReferenceScoresTest {
    private static final String AWS = "realAWSCloudwatch";
    private static NabCorpus corpus;
    private static final Map<String, Map<String, double[]>> outputs = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        Optional<Path> dir = NabCorpus.locate();
        boolean explicit = System.getProperty(NabCorpus.DIR_PROPERTY) != null;
        if (explicit) {
            assertThat(dir.get()).as("-D" + NabCorpus.DIR_PROPERTY).isDirectory();
        }
        assumeTrue(dir.isPresent() && Files.isDirectory(dir.get()), "NAB folder not found (" + dir + "); set -D"
                + NabCorpus.DIR_PROPERTY);
        corpus = NabCorpus.load(dir.get());
        for (String det : List.of("numenta", "randomCutForest", "windowedGaussian")) {
            outputs.put(det, NabDetectorOutput.read(dir.get().resolve("reference-results").resolve(det), corpus));
        }
    }

    @Test
    void corpusShape() {
        assertThat(corpus.files()).hasSize(28);
        assertThat(corpus.windowCount()).isEqualTo(36);
        assertThat(corpus.rowCount()).isEqualTo(67_740 + 24_192 + 20_160);
        assertThat(corpus.categories()).containsExactly("artificialNoAnomaly", "artificialWithAnomaly", AWS);
        assertThat(corpus.category(AWS).files()).hasSize(17);
        assertThat(corpus.category(AWS).windowCount()).isEqualTo(30);
        assertThat(corpus.profile(NabProfile.STANDARD)).isEqualTo(NabProfile.standard());
        assertThat(corpus.profile(NabProfile.REWARD_LOW_FP_RATE)).isEqualTo(NabProfile.rewardLowFpRate());
        assertThat(corpus.profile(NabProfile.REWARD_LOW_FN_RATE)).isEqualTo(NabProfile.rewardLowFnRate());

        // the two files with 12 rows stamped 2014-03-09 03:00:00: windows lie after those rows, by position
        NabFile disk = corpus.file(AWS + "/ec2_disk_write_bytes_1ef3de.csv");
        assertThat(disk.rows()).isEqualTo(4730);
        assertThat(disk.probation()).isEqualTo(709);
        assertThat(disk.timestamps()[2118]).isEqualTo(disk.timestamps()[2129]);
        assertThat(disk.windows()).containsExactly(new NabWindow(2399, 2871));
        NabFile net = corpus.file(AWS + "/ec2_network_in_5abac7.csv");
        assertThat(net.windows()).containsExactly(new NabWindow(2490, 2726), new NabWindow(3091, 3327));
        NabFile iio = corpus.file(AWS + "/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv");
        assertThat(iio.probation()).isEqualTo(186);
        assertThat(iio.windows()).containsExactly(new NabWindow(218, 280), new NabWindow(308, 370));
    }

    /** detector, set, standard, reward_low_FP_rate, reward_low_FN_rate — the README's table. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
            "numenta,          all, 72.3, 69.1, 76.0",
            "numenta,          aws, 73.4, 68.7, 76.7",
            "randomCutForest,  all, 53.7, 44.9, 60.1",
            "randomCutForest,  aws, 61.4, 50.7, 67.6",
            "windowedGaussian, all, 26.5, 2.2,  37.1",
            "windowedGaussian, aws, 31.2, 4.9,  43.0",
    })
    void reproducesTheReadmeTable(String detector, String set, double standard, double lowFp, double lowFn) {
        NabCorpus files = set.equals("all") ? corpus : corpus.category(AWS);
        NabScorer scorer = new NabScorer(files, outputs.get(detector));
        double[] expected = {standard, lowFp, lowFn};
        String[] profiles = {NabProfile.STANDARD, NabProfile.REWARD_LOW_FP_RATE, NabProfile.REWARD_LOW_FN_RATE};
        for (int i = 0; i < 3; i++) {
            NabProfile p = corpus.profile(profiles[i]);
            NabResult r = scorer.optimizeThreshold(p);
            System.out.printf("NAB %-16s %-3s %-18s %6.2f (README %5.1f)  threshold %.6f  TP %d FP %d FN %d%n",
                    detector, set, p.name(), r.score(), expected[i], r.threshold(), r.truePositives(),
                    r.falsePositives(), r.falseNegatives());
            assertThat(r.score()).as("%s %s %s", detector, set, p.name()).isCloseTo(expected[i], within(0.1));
            assertThat(r.nullScore()).isEqualTo(-p.fnWeight() * files.windowCount());
            assertThat(r.perfectScore()).isEqualTo(p.tpWeight() * files.windowCount());
            assertThat(r.files()).hasSize(files.files().size());
            assertThat(r.files().stream().mapToDouble(NabFileResult::raw).sum()).isCloseTo(r.raw(), within(1e-9));
            assertThat(r.truePositives() + r.falseNegatives()).isEqualTo(files.windowCount());
            // nearby thresholds do no better
            assertThat(scorer.score(p, r.threshold() * 0.999).raw()).isLessThanOrEqualTo(r.raw() + 1e-12);
            assertThat(scorer.score(p, Math.nextUp(r.threshold())).raw()).isLessThanOrEqualTo(r.raw() + 1e-12);
        }
    }
}
