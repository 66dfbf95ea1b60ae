package io.augur.ops.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesKeyCodecTest {
    private static final SeriesKeyCodec CODEC = new SeriesKeyCodec();

    static byte[] bytes(SeriesKeyCodec c, String key) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        c.write(key, new DataOutputStream(b));
        return b.toByteArray();
    }

    static String read(SeriesKeyCodec c, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        String s = c.read(in);
        assertThat(in.available()).as("bytes left after the key").isZero();
        return s;
    }

    @Test
    void seriesKeysRoundTripAndTakeAThirdOfTheirLength() throws IOException {
        String[] keys = {
            "123456789012|us-east-1|AWS/EC2|CPUUtilization|InstanceId=i-0bench123|Average",
            "123456789012|us-east-1|AWS/Lambda|Errors|FunctionName=bench-fn-4711|Sum",
            "123456789012|us-east-1|AWS/ApplicationELB|TargetResponseTime|LoadBalancer=app/bench-alb-7/50dc6c495c0c9188|p99",
            "000000000042|eu-west-1|AWS/DynamoDB|ConsumedWriteCapacityUnits|Operation=PutItem,TableName=orders|Sum",
        };
        for (String k : keys) {
            byte[] b = bytes(CODEC, k);
            assertThat(read(CODEC, b)).isEqualTo(k);
            assertThat(b.length).as("bytes of %s", k).isLessThan(k.length() / 2);
        }
        // account (6) + region, namespace, metric, statistic (1-2 each) + dimension (header, name, literal "i-0bench123": 14) + count (1)
        assertThat(bytes(CODEC, keys[0]).length).isBetween(24, 28);
    }

    @Test
    void anyStringRoundTripsAndTheSameKeyAlwaysGivesTheSameBytes() throws IOException {
        Random r = new Random(20261122);
        String alphabet = "|=,|0123456789aZ/-_. \u00e9\u4e2d";
        List<String> words = new ArrayList<>(SeriesKeyCodec.DICTIONARY.subList(0, 40));
        words.addAll(List.of("", "123456789012", "000000000000", "999999999999", "12345678901", "1234567890123", "InstanceId=", "=x"));
        java.util.TreeSet<String> encodings = new java.util.TreeSet<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = r.nextInt(8);
            for (int p = 0; p < parts; p++) {
                switch (r.nextInt(4)) {
                    case 0 -> sb.append(words.get(r.nextInt(words.size())));
                    case 1 -> sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                    case 2 -> sb.append((char) r.nextInt(Character.MAX_VALUE + 1)); // any char: unpaired surrogates, NUL, U+FFFF
                    default -> sb.append('|');
                }
            }
            String k = sb.toString();
            byte[] b = bytes(CODEC, k);
            assertThat(read(CODEC, b)).isEqualTo(k);
            assertThat(bytes(CODEC, new String(k.toCharArray()))).as("bytes of an equal string").isEqualTo(b);
            encodings.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        // no key's bytes are the start of another key's (RocksDB reads a key's map entries by the prefix of its bytes):
        // in sorted order a prefix would sit right before a string that starts with it
        String previous = null;
        for (String e : encodings) {
            if (previous != null) assertThat(e.startsWith(previous)).as("an encoding that starts with another").isFalse();
            previous = e;
        }
    }

    @Test
    void differentKeysGiveDifferentBytes() throws IOException {
        List<String> keys = List.of("", "|", "||", "Average", "Average|", "|Average", "123456789012", "023456789012", "InstanceId=a",
                "InstanceId=a|", "InstanceId=|a", "x=InstanceId", "AWS/EC2|CPUUtilization", "AWS/EC2CPUUtilization");
        HashSet<String> seen = new HashSet<>();
        for (String k : keys) assertThat(seen.add(java.util.Arrays.toString(bytes(CODEC, k)))).as("bytes of %s", k).isTrue();
    }

    @Test
    void aShorterDictionaryWritesWordsAsLiteralsAndALongerOneReadsThem() throws IOException {
        String k = "123456789012|us-east-1|AWS/EC2|CPUUtilization|InstanceId=i-1|Average";
        SeriesKeyCodec none = new SeriesKeyCodec(0), some = new SeriesKeyCodec(12);
        byte[] b0 = bytes(none, k), b12 = bytes(some, k);
        assertThat(b0).isNotEqualTo(b12);
        assertThat(b0.length).isGreaterThan(b12.length);
        // keys written with a prefix of the dictionary are read by every codec with a longer one (append only)
        assertThat(read(CODEC, b0)).isEqualTo(k);
        assertThat(read(CODEC, b12)).isEqualTo(k);
        assertThat(read(some, b0)).isEqualTo(k);
        // a word beyond the codec's dictionary is refused, not misread
        assertThatThrownBy(() -> read(none, b12)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new SeriesKeyCodec(SeriesKeyCodec.DICTIONARY.size() + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDictionaryHasNoWordTwiceAndNoSeparator() {
        assertThat(new HashSet<>(SeriesKeyCodec.DICTIONARY)).hasSameSizeAs(SeriesKeyCodec.DICTIONARY);
        for (String w : SeriesKeyCodec.DICTIONARY) {
            assertThat(w).doesNotContain("|").isNotEmpty();
            assertThat(w.length() == 12 && w.chars().allMatch(Character::isDigit)).isFalse();
        }
    }
}
