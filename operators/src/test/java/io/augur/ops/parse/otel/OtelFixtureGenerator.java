package io.augur.ops.parse.otel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.augur.ops.parse.otel.OtelFixtures.Version.V10;
import static io.augur.ops.parse.otel.OtelFixtures.albLatency;
import static io.augur.ops.parse.otel.OtelFixtures.cpu;

/**
 * Writes the checked-in binary fixtures under {@code src/test/resources/fixtures/otel/}. Run once, on purpose:
 * {@code mvn -B -q -pl operators -am test -Dtest=OtelFixtureGenerator -Daugur.regenerateOtelFixtures=true
 * -Dsurefire.failIfNoSpecifiedTests=false} from the repository root. The fixtures are then frozen: tests read them
 * from disk and compare against values written out literally, so a later change to {@link OtelFixtures} cannot
 * hide a regression in the parser.
 *
 * <p>Each file is one record of two length-delimited ExportMetricsServiceRequest messages: EC2 CPUUtilization
 * (quantiles 0, 0.99, 1) then ALB TargetResponseTime (quantiles 0, 0.5, 0.99, 0.999, 1).
 */
class OtelFixtureGenerator {
    static final String DIR = "src/test/resources/fixtures/otel";
    static final String V07_FILE = "cloudwatch-otel07-two-messages.bin";
    static final String V10_FILE = "cloudwatch-otel10-two-messages.bin";

    @Test
    @EnabledIfSystemProperty(named = "augur.regenerateOtelFixtures", matches = "true")
    void regenerate() throws IOException {
        main(new String[0]);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : DIR);
        Files.createDirectories(dir);
        Files.write(dir.resolve(V10_FILE), OtelFixtures.record(
                OtelFixtures.request(V10, cpu()), OtelFixtures.request(V10, albLatency())));
        Files.write(dir.resolve(V07_FILE), OtelFixtures.delimited(
                OtelFixtures.handEncoded07(cpu()), OtelFixtures.handEncoded07(albLatency())));
    }
}
