package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "List every configuration key with its default and meaning, or with --config/--set, the effective values.")
public final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        AugurConfig cfg = options.load(Map.of());
        Map<String, String> effective = cfg.describe();
        for (ConfigKey k : AugurConfig.KEYS) {
            System.out.printf("%-36s %-22s %s%n", k.name(), effective.get(k.name()).isEmpty() ? "\"\"" : effective.get(k.name()), k.description());
            if (k.scoped()) cfg.scoped(k).forEach((scope, v) -> System.out.printf("%-36s %-22s%n", k.prefix() + scope, v));
        }
        return 0;
    }
}
