package io.augur.ops.deadletter;

import io.augur.schema.DeadLetter;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds dead-letter records: the reason, the detail, and a truncated, printable copy of the payload. */
public final class DeadLetters {
    public static final int DEFAULT_PAYLOAD_CHARS = 2048;

    private DeadLetters() {}

    public static DeadLetter of(DeadLetterReason reason, String detail, String origin, long receivedAt, byte[] payload, int maxChars) {
        byte[] p = payload == null ? new byte[0] : payload;
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setDetail(detail == null ? "" : truncate(detail, 1024))
                .setOrigin(origin == null ? "unknown" : origin)
                .setReceivedAt(receivedAt)
                .setPayloadBytes(p.length)
                .setPayload(printable(p, maxChars))
                .build();
    }

    /** UTF-8 text as is, binary as {@code base64:…}; cut to {@code maxChars} with a marker saying how much is missing. */
    static String printable(byte[] payload, int maxChars) {
        String text = asText(payload);
        if (text == null) {
            int rawBudget = Math.max(0, maxChars * 3 / 4 - 8);
            int n = Math.min(payload.length, rawBudget);
            String b64 = "base64:" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(payload, n));
            return n < payload.length ? b64 + "…[" + (payload.length - n) + " more bytes]" : b64;
        }
        return truncate(text, maxChars);
    }

    static String truncate(String s, int maxChars) {
        if (s.length() <= maxChars) return s;
        return s.substring(0, maxChars) + "…[" + (s.length() - maxChars) + " more chars]";
    }

    private static String asText(byte[] b) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
            for (int i = 0; i < Math.min(s.length(), 256); i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return null;
            }
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
