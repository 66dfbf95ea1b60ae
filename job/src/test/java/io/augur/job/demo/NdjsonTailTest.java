package io.augur.job.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonTailTest {
    @Test
    void returnsOnlyCompleteNewLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("insights.ndjson");
        NdjsonTail tail = new NdjsonTail(f);
        assertThat(tail.poll()).as("no file yet").isEmpty();
        Files.writeString(f, "{\"a\":1}\n{\"b\":", StandardCharsets.UTF_8);
        assertThat(tail.poll()).containsExactly("{\"a\":1}");
        assertThat(tail.poll()).isEmpty();
        Files.writeString(f, "2}\n{\"é\":3}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(tail.poll()).containsExactly("{\"b\":2}", "{\"é\":3}");
    }
}
