package io.augur.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README is where users look a setting up: every key {@code augur config} lists must appear there by its full name
 * (in backticks), so that a new key cannot ship undocumented.
 */
class ReadmeConfigurationTest {

    @Test
    void everyConfigurationKeyIsNamedInTheReadme() throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (ConfigKey key : AugurConfig.KEYS) {
            if (!readme.contains("`" + key.name() + "`")) missing.add(key.name());
        }
        assertThat(missing).as("keys that README.md does not name in full (add them to a configuration table)").isEmpty();
    }

    @Test
    void theReadmeCountsTheKeysItSaysAugurConfigLists() throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        assertThat(readme).contains("`augur config` lists every key (" + AugurConfig.KEYS.size() + ")");
    }

    private static Path readme() {
        // Maven runs a module's tests in the module's folder; the README is at the repository root.
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("README.md");
            if (Files.exists(candidate) && Files.exists(p.resolve("state-schemas"))) return candidate;
        }
        throw new IllegalStateException("README.md of the repository not found above " + here);
    }
}
