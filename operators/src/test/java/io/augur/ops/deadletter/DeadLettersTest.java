package io.augur.ops.deadletter;

import io.augur.schema.DeadLetter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest {
    @Test
    void textPayloadsAreKeptAsTextAndTruncatedWithAMarker() {
        byte[] payload = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetters.of(DeadLetterReason.MALFORMED_JSON, "bad", "augur-metrics", 1L, payload, 100);

        assertThat(d.getReason()).isEqualTo("MALFORMED_JSON");
        assertThat(d.getPayloadBytes()).isEqualTo(5000);
        assertThat(d.getPayload()).startsWith("x".repeat(100)).endsWith("…[4900 more chars]");
    }

    @Test
    void binaryPayloadsAreBase64() {
        byte[] payload = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x01, 0x02};
        DeadLetter d = DeadLetters.of(DeadLetterReason.TRUNCATED_GZIP, "cut", "augur-metrics", 1L, payload, 100);

        assertThat(d.getPayload()).isEqualTo("base64:H4sIAAEC");
    }
}
