package io.augur.job.deploy;

import io.augur.job.AugurJob;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/standalone/bin}: the command lines the scripts give Flink's CLI. {@code FLINK_HOME} is a stand-in
 * whose {@code bin/flink} records its arguments and answers {@code flink list -r} like Flink 1.20 does; the real
 * submission path is {@link StandaloneClusterIT}'s.
 */
class StandaloneScriptsTest {
    private static final Path ROOT = DeployFiles.root();
    private static final Path BIN = ROOT.resolve("deploy/standalone/bin");
    private static final String AUGUR_JOB_ID = "8f7d2c0a4b1e4f6a9c3d5e7f9a1b3c5d";

    @TempDir
    Path tmp;
    private Path flinkHome;
    private Path jar;
    private Path calls;

    @BeforeEach
    void fakeFlink() throws IOException {
        flinkHome = Files.createDirectories(tmp.resolve("flink-1.20.3"));
        Path flink = Files.createDirectories(flinkHome.resolve("bin")).resolve("flink");
        calls = tmp.resolve("calls");
        Files.writeString(flink, String.join("\n",
                "#!/usr/bin/env bash",
                "{ echo \"FLINK_CONF_DIR=$FLINK_CONF_DIR\"; printf '%s\\n' \"$@\"; echo '--'; } >> \"" + calls + "\"",
                "if [[ \"$1\" == list ]]; then",
                "  echo 'Waiting for response...'",
                "  echo '------------------ Running/Restarting Jobs -------------------'",
                "  [[ -n \"${FAKE_NO_AUGUR:-}\" ]] || echo '21.11.2026 10:00:00 : " + AUGUR_JOB_ID + " : augur (RUNNING)'",
                "  echo '21.11.2026 10:00:01 : 00000000000000000000000000000001 : augur-canary (RUNNING)'",
                "  echo '--------------------------------------------------------------'",
                "fi", ""));
        Files.setPosixFilePermissions(flink, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.writeString(tmp.resolve("augur-job.jar"), "jar");
    }

    @Test
    void submitRunsTheEntryClassDetachedWithTheStandaloneConfigurationAndExtraArguments() throws Exception {
        Result r = run(Map.of(), "submit.sh", "--set", "kinesis.region=eu-west-1");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.calls()).containsExactly(List.of("FLINK_CONF_DIR=" + ROOT.resolve("deploy/standalone/conf"),
                "run", "-d", "-c", AugurJob.class.getName(), jar.toString(),
                "--config", ROOT.resolve("deploy/standalone/conf/augur.yaml").toString(), "--set", "kinesis.region=eu-west-1"));
    }

    @Test
    void stopWithSavepointFindsTheRunningAugurJobOrTakesTheOneGiven() throws Exception {
        Result found = run(Map.of(), "stop-with-savepoint.sh");
        assertThat(found.exit).as(found.err).isZero();
        assertThat(found.calls()).hasSize(2);
        assertThat(found.calls().get(0)).containsSequence("list", "-r");
        assertThat(found.calls().get(1)).endsWith("stop", AUGUR_JOB_ID);

        Result given = run(Map.of(), "stop-with-savepoint.sh", "0123", "file:///var/lib/augur/savepoints/upgrade");
        assertThat(given.exit).as(given.err).isZero();
        assertThat(given.calls()).hasSize(1);
        assertThat(given.calls().get(0)).endsWith("stop", "--savepointPath", "file:///var/lib/augur/savepoints/upgrade", "0123");

        Result none = run(Map.of("FAKE_NO_AUGUR", "1"), "stop-with-savepoint.sh");
        assertThat(none.exit).isEqualTo(1);
        assertThat(none.err).contains("no RUNNING job named augur");
        assertThat(none.calls()).hasSize(1); // only the list: nothing stopped
    }

    @Test
    void resumeRunsFromTheSavepointAndAllowsNonRestoredStateOnlyWhenAsked() throws Exception {
        String savepoint = "file:/var/lib/augur/savepoints/savepoint-8f7d2c-0a1b2c3d4e5f";
        Result r = run(Map.of(), "resume.sh", savepoint, "--set", "job.parallelism=4");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.calls().get(0)).containsExactly("FLINK_CONF_DIR=" + ROOT.resolve("deploy/standalone/conf"),
                "run", "-d", "-s", savepoint, "-c", AugurJob.class.getName(), jar.toString(),
                "--config", ROOT.resolve("deploy/standalone/conf/augur.yaml").toString(), "--set", "job.parallelism=4");

        Result allow = run(Map.of("ALLOW_NON_RESTORED_STATE", "1"), "resume.sh", savepoint);
        assertThat(allow.calls().get(0)).containsSequence("-s", savepoint, "--allowNonRestoredState");

        Result missing = run(Map.of(), "resume.sh");
        assertThat(missing.exit).isNotZero();
        assertThat(missing.err).contains("usage: resume.sh SAVEPOINT_PATH");
        assertThat(missing.calls()).isEmpty();
    }

    @Test
    void withoutFlinkHomeOrTheJarTheScriptsSayWhatIsMissing() throws Exception {
        Result noFlink = run(Map.of("FLINK_HOME", tmp.resolve("nowhere").toString()), "submit.sh");
        assertThat(noFlink.exit).isEqualTo(1);
        assertThat(noFlink.err).contains("set FLINK_HOME to a Flink 1.20 distribution");

        Result noJar = run(Map.of("AUGUR_JAR", tmp.resolve("missing.jar").toString()), "submit.sh");
        assertThat(noJar.exit).isEqualTo(1);
        assertThat(noJar.err).contains("missing.jar is missing").contains("mvn -B package -pl job -am -DskipTests");
        assertThat(noJar.calls()).isEmpty();
    }

    private record Result(int exit, String err, List<List<String>> calls) {}

    private Result run(Map<String, String> env, String script, String... args) throws Exception {
        Files.deleteIfExists(calls);
        List<String> cmd = new ArrayList<>(List.of("bash", BIN.resolve(script).toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("FLINK_CONF_DIR");
        pb.environment().put("FLINK_HOME", flinkHome.toString());
        pb.environment().put("AUGUR_JAR", jar.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<List<String>> recorded = new ArrayList<>();
        if (Files.exists(calls)) {
            List<String> current = new ArrayList<>();
            for (String line : Files.readAllLines(calls, StandardCharsets.UTF_8)) {
                if (line.equals("--")) {
                    recorded.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(line);
                }
            }
        }
        return new Result(p.exitValue(), Files.readString(tmp.resolve("err")), recorded);
    }
}
