package io.augur.ops.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SNS FIFO message group and deduplication ids: at most 128 characters of letters, digits and ASCII punctuation.
 * An Augur id that fits is used as is (readable in the console); any other is replaced by its SHA-256 in hex, which
 * is just as deterministic.
 */
public final class FifoIds {
    static final int MAX = 128;

    private FifoIds() {}

    public static String of(String id) {
        if (!id.isEmpty() && id.length() <= MAX && id.chars().allMatch(FifoIds::allowed)) return id;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean allowed(int c) {
        return c > 0x20 && c < 0x7f; // letters, digits, and !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
    }
}
