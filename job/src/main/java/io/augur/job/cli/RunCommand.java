package io.augur.job.cli;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run Augur continuously against Kinesis: locally (an embedded Flink) or, as the jar's main class, on a Flink cluster.",
                "Example: augur run --config deploy/local.yaml --set kinesis.endpoint=http://127.0.0.1:4568"})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        AugurConfig cfg = options.load(Map.of());
        AugurJob.run(cfg, false);
        return 0;
    }
}
