package io.augur.job.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code augur savepoint-fixture} (hidden, for releases): takes the savepoint fixture the restore tests resume from.
 * See job/src/test/resources/savepoints/README.md.
 */
@Command(name = "savepoint-fixture", hidden = true, mixinStandardHelpOptions = true,
        description = {"Take a savepoint of the whole job mid-stream over a simulated fleet and write it as a test fixture: "
                + "ROOT/NAME/{fixture.json, savepoint/, input/part-1, input/part-2, part-1-outputs/}.",
                "Run it from the repository root for each release: ./augur savepoint-fixture. Fixtures of released versions stay."})
public final class SavepointFixtureCommand implements Callable<Integer> {
    @Option(names = "--root", defaultValue = "job/src/test/resources/savepoints", description = "Fixtures directory (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--name", description = "Fixture name (default: 0.1.0-<short commit>).")
    String name;

    @Option(names = "--code-version", description = "Git commit the job was built from (default: git rev-parse HEAD).")
    String codeVersion;

    @Option(names = "--parallelism", defaultValue = "1", description = "Parallelism of the job that takes the savepoint (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resources", defaultValue = "8", description = "Simulated resources (default: ${DEFAULT-VALUE}).")
    int resources;

    @Option(names = "--split-minute", defaultValue = "850", description = "Minute of the simulation where the savepoint is taken (default: ${DEFAULT-VALUE}).")
    int splitMinute;

    @Option(names = "--end-minute", defaultValue = "1080", description = "Minute where the input after the savepoint ends (default: ${DEFAULT-VALUE}).")
    int endMinute;

    @Override
    public Integer call() throws Exception {
        boolean dirty = false;
        if (codeVersion == null) {
            codeVersion = git("rev-parse", "HEAD");
            dirty = !git("status", "--porcelain", "--untracked-files=no").isEmpty();
        }
        if (name == null) name = SavepointFixture.AUGUR_VERSION + "-" + codeVersion.substring(0, Math.min(7, codeVersion.length()));
        SavepointFixture.Input in = new SavepointFixture.Input("default", seed, resources, 1, splitMinute, endMinute);
        JsonNode meta = SavepointFixture.generate(root, name, codeVersion, dirty, in, parallelism);
        System.out.println("wrote " + root.resolve(name) + ": " + meta.get("atSavepoint").get("openInsights").size() + " open insights, "
                + meta.get("atSavepoint").get("openAnomalies").size() + " open anomalies at the savepoint"
                + (dirty ? " (WARNING: uncommitted changes: the code version is not exactly " + codeVersion + ")" : ""));
        return 0;
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + " failed: " + out + " (or pass --code-version)");
        return out;
    }
}
