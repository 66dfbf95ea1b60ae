package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.Map;

/**
 * The program arguments of the job jar's cluster entry class ({@link io.augur.job.AugurJob#main}): the same
 * {@code --config FILE} and {@code --set key=value} options as {@code augur run}.
 */
@Command(name = "io.augur.job.AugurJob")
public final class JobArgs {
    @Mixin
    ConfigOptions options;

    private JobArgs() {}

    /** Defaults, Managed Flink properties (if any), the file, then the flags; bad arguments are a {@link ConfigException}. */
    public static AugurConfig parse(String... args) throws IOException {
        JobArgs parsed = new JobArgs();
        CommandLine cl = new CommandLine(parsed);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage() + ": the job takes --config FILE and --set key=value (e.g. --config augur.yaml --set kinesis.region=eu-west-1)");
        }
        return parsed.options.load(Map.of());
    }
}
