package io.augur.job.cli;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.job.load.LoadCommand;
import io.augur.job.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/** The {@code augur} command. */
@Command(name = "augur", mixinStandardHelpOptions = true, version = "augur 0.1.0",
        description = "Operations insights from CloudWatch metrics and change events, on Apache Flink.",
        subcommands = {DemoCommand.class, ReplayCommand.class, RunCommand.class, SimulateCommand.class, LoadCommand.class, EvalCommand.class, BenchCommand.class, ConfigCommand.class, QueryCommand.class, StateCommand.class,
                io.augur.job.upgrade.SavepointFixtureCommand.class,
                CommandLine.HelpCommand.class})
public final class AugurCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) throws Exception {
        // On Amazon Managed Service for Apache Flink the jar's main class runs with no arguments: run the job there.
        if (args.length == 0) {
            Map<String, String> managed = AugurConfig.managedFlinkProperties();
            if (!managed.isEmpty()) {
                AugurJob.run(AugurConfig.defaults().with(managed), true);
                return;
            }
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new AugurCli());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("augur: configuration error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
