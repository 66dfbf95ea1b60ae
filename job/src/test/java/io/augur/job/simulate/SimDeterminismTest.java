package io.augur.job.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SimDeterminismTest {
    private static Scenario small() {
        return Scenario.named("default").withSizes(10, 1, null);
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b"), c = dir.resolve("c");
        new Simulator(small(), 7).write(a);
        new Simulator(small(), 7).write(b);
        new Simulator(small(), 8).write(c);
        for (String f : new String[] {Simulator.METRICS_FILE, Simulator.EVENTS_FILE, Simulator.GROUND_TRUTH_FILE}) {
            byte[] x = Files.readAllBytes(a.resolve(f));
            assertThat(x).as(f).isNotEmpty();
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(x);
            assertThat(Files.readAllBytes(c.resolve(f))).as(f).isNotEqualTo(x);
        }
    }

    @Test
    void theCommandWritesTheThreeFilesAndRejectsBadArguments(@TempDir Path dir) throws Exception {
        int rc = new picocli.CommandLine(new SimulateCommand()).execute("--resources", "8", "--days", "1", "--seed", "3",
                "--start", "2025-06-02T00:00:00Z", "--out", dir.toString());
        assertThat(rc).isZero();
        assertThat(dir.resolve(Simulator.METRICS_FILE)).isNotEmptyFile();
        assertThat(dir.resolve(Simulator.EVENTS_FILE)).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve(Simulator.GROUND_TRUTH_FILE))).contains("\"start\" : \"2025-06-02T00:00:00Z\"");
        assertThat(new picocli.CommandLine(new SimulateCommand()).execute("--scenario", "nope", "--out", dir.toString())).isEqualTo(2);
        assertThat(new picocli.CommandLine(new SimulateCommand()).execute("--resources", "3", "--out", dir.toString())).isEqualTo(2);
    }
}
