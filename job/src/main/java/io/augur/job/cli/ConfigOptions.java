package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration options every job command shares: a file, then {@code --set key=value} overrides. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, description = "Configuration file (.yaml or .properties); `augur config` lists the keys.")
    Path file;

    @Option(names = {"-s", "--set"}, description = "Override one key, e.g. --set kinesis.region=eu-west-1 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Defaults, then Managed Flink properties (if any), then the file, then the flags, then {@code extra}. */
    public AugurConfig load(Map<String, String> extra) throws IOException {
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.managedFlinkProperties());
        if (file != null) cfg = cfg.with(AugurConfig.readFile(file));
        return cfg.with(overrides).with(extra);
    }
}
