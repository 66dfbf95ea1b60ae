package io.augur.ops.eval.nab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading a small folder in NAB's layout, built here, including repeated timestamps and a file without windows. */
class NabCorpusTest {
    @TempDir
    Path dir;

    /** 20 rows every 5 minutes from 00:00, except that rows 5, 6 and 7 are all stamped 00:25 (like NAB's DST rows). */
    private static String dupData() {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        int minute = 0;
        for (int i = 0; i < 20; i++) {
            sb.append(String.format("2014-03-09 %02d:%02d:00,%d.5%n", minute / 60, minute % 60, i));
            if (i < 5 || i >= 7) minute += 5;
        }
        return sb.toString();
    }

    private static String plainData(int rows) {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < rows; i++) sb.append(String.format("2015-01-01 %02d:%02d:00,%d%n", i / 60, i % 60, i));
        return sb.toString();
    }

    private void writeFolder(String windowsJson) throws IOException {
        Files.createDirectories(dir.resolve("data/catA"));
        Files.createDirectories(dir.resolve("data/catB"));
        Files.createDirectories(dir.resolve("labels"));
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("data/catA/dup.csv"), dupData());
        Files.writeString(dir.resolve("data/catB/quiet.csv"), plainData(30));
        Files.writeString(dir.resolve("data/catB/notes.txt"), "not a data file");
        Files.writeString(dir.resolve("labels/combined_windows.json"), windowsJson);
        Files.writeString(dir.resolve("config/profiles.json"), """
                {"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
                 "custom": {"CostMatrix": {"tpWeight": 2.0, "fnWeight": 3.0, "fpWeight": 0.5, "tnWeight": 1.0}}}
                """);
    }

    private static final String WINDOWS = """
            {"catA/dup.csv": [["2014-03-09 00:30:00.000000", "2014-03-09 00:40:00.000000"],
                              ["2014-03-09 00:20:00.000000", "2014-03-09 00:25:00.000000"]],
             "catB/quiet.csv": [],
             "catC/elsewhere.csv": [["2014-03-09 00:30:00.000000", "2014-03-09 00:40:00.000000"]]}
            """;

    @Test
    void loadsFilesWindowsByPositionAndProfiles() throws IOException {
        writeFolder(WINDOWS);
        NabCorpus c = NabCorpus.load(dir);
        assertThat(c.files()).extracting(NabFile::name).containsExactly("catA/dup.csv", "catB/quiet.csv");
        assertThat(c.categories()).containsExactly("catA", "catB");
        NabFile dup = c.file("catA/dup.csv");
        assertThat(dup.rows()).isEqualTo(20);
        assertThat(dup.values()[19]).isEqualTo(19.5);
        assertThat(dup.probation()).isEqualTo(3);
        // 00:20..00:25 covers row 4 and all three rows stamped 00:25; 00:30..00:40 starts after them, at row 8
        assertThat(dup.windows()).containsExactly(new NabWindow(4, 7), new NabWindow(8, 10));
        assertThat(c.file("catB/quiet.csv").windows()).isEmpty();
        assertThat(c.windowCount()).isEqualTo(2);
        assertThat(c.category("catB").files()).hasSize(1);
        assertThat(c.profile("custom")).isEqualTo(new NabProfile("custom", 2.0, 0.5, 3.0));
        assertThat(c.profiles().keySet()).containsExactly("standard", "custom");
    }

    @Test
    void missingLabelEntryIsAnError() throws IOException {
        writeFolder("""
                {"catA/dup.csv": []}
                """);
        assertThatThrownBy(() -> NabCorpus.load(dir)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("no entry for catB/quiet.csv");
    }

    @Test
    void notANabFolder() {
        assertThatThrownBy(() -> NabCorpus.load(dir)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("is not a NAB folder");
    }

    @Test
    void detectorOutputRoundTripAndErrors() throws IOException {
        writeFolder(WINDOWS);
        NabCorpus c = NabCorpus.load(dir);
        double[] a = new double[20];
        a[8] = 0.75;
        a[12] = 1e-7;
        double[] b = new double[30];
        b[29] = Double.NaN;
        Path out = dir.resolve("results/mine");
        NabDetectorOutput.write(out, c, Map.of("catA/dup.csv", a, "catB/quiet.csv", b));
        Map<String, double[]> back = NabDetectorOutput.read(out, c);
        assertThat(back.keySet()).containsExactly("catA/dup.csv", "catB/quiet.csv");
        assertThat(back.get("catA/dup.csv")).containsExactly(a);
        assertThat(back.get("catB/quiet.csv")[29]).isNaN();

        // scoring: probation 3 rows; detection at row 8 = first row of the second window
        NabResult r = new NabScorer(c, back).score(c.profile("standard"), 0.5);
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falseNegatives()).isEqualTo(1);
        assertThat(r.raw()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-12));

        // extra columns are fine, the score column is found by name
        Files.writeString(out.resolve("catB/quiet.csv"),
                plainData(30).replace("timestamp,value", "timestamp,value,anomaly_score,raw_score")
                        .replaceAll("(?m)^(\\d{4}-.*)$", "$1,0.25,9"));
        assertThat(NabDetectorOutput.read(out, c).get("catB/quiet.csv")).containsOnly(0.25);

        Files.writeString(out.resolve("catB/quiet.csv"), "timestamp,value,anomaly_score\n2015-01-01 00:00:00,0,0.1\n");
        assertThatThrownBy(() -> NabDetectorOutput.read(out, c)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("1 rows").hasMessageContaining("has 30");

        Files.writeString(out.resolve("catB/quiet.csv"), plainData(30));
        assertThatThrownBy(() -> NabDetectorOutput.read(out, c)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("no column 'anomaly_score'");

        Files.writeString(out.resolve("catB/quiet.csv"), plainData(30).replace("timestamp,value", "timestamp,anomaly_score")
                .replace("2015-01-01 00:07:00", "2015-01-01 00:07:30"));
        assertThatThrownBy(() -> NabDetectorOutput.read(out, c)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("data row 8").hasMessageContaining("differs");

        Files.delete(out.resolve("catB/quiet.csv"));
        assertThatThrownBy(() -> NabDetectorOutput.read(out, c)).isInstanceOf(NabDataException.class)
                .hasMessageContaining("detector output for catB/quiet.csv is missing");
    }

    @Test
    void csvReaderSplitsQuotedFields() {
        assertThat(NabCsv.split("a,\"b,c\",\"d\"\"e\", f ")).containsExactly("a", "b,c", "d\"e", "f");
        assertThat(NabCsv.parseTimestamp("2014-02-19 10:50:00.000000")).isEqualTo(NabCsv.parseTimestamp("2014-02-19T10:50:00"));
    }

    @Test
    void windowsMayNotOverlap() {
        assertThatThrownBy(() -> NabFile.ofRows("x/y.csv", 100, List.of(new NabWindow(10, 20), new NabWindow(20, 30))))
                .isInstanceOf(NabDataException.class).hasMessageContaining("overlap");
    }
}
