package io.augur.ops.flink.avro;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The table returns the decoded string of every content, the same object for a content it holds. */
class StringTableTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code b} in a larger buffer with garbage after it (the decoder's buffer is reused). */
    private static byte[] padded(byte[] b, Random r) {
        byte[] buf = new byte[b.length + r.nextInt(20)];
        r.nextBytes(buf);
        System.arraycopy(b, 0, buf, 0, b.length);
        return buf;
    }

    private static String random(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(8) == 0 ? r.nextInt(700) : r.nextInt(40);
        for (int i = 0; i < n; i++) {
            s.append(switch (r.nextInt(4)) {
                case 0 -> (char) r.nextInt(0x800);
                case 1 -> (char) (0x3000 + r.nextInt(0x1000));
                default -> (char) (32 + r.nextInt(95));
            });
        }
        return s.toString();
    }

    @Test
    void everyContentDecodesToItsString() {
        Random r = new Random(7);
        StringTable small = new StringTable(4); // mostly collisions
        StringTable large = new StringTable(1 << 12);
        String[] pool = new String[300];
        for (int i = 0; i < pool.length; i++) pool[i] = random(r);
        for (int step = 0; step < 50_000; step++) {
            String s = pool[r.nextInt(pool.length)];
            byte[] b = utf8(s);
            assertThat(small.intern(padded(b, r), b.length)).isEqualTo(s);
            assertThat(large.intern(padded(b, r), b.length)).isEqualTo(s);
        }
    }

    @Test
    void aContentHeldIsTheSameObject() {
        StringTable t = new StringTable(1 << 10);
        byte[] b = utf8("123456789012|us-east-1|AWS/Lambda|Errors|FunctionName=fn-00042");
        String first = t.intern(b.clone(), b.length);
        assertThat(t.intern(b.clone(), b.length)).isSameAs(first);
        assertThat(t.intern(new byte[0], 0)).isEmpty();
        byte[] longer = new byte[StringTable.MAX_LENGTH + 1];
        java.util.Arrays.fill(longer, (byte) 'x');
        String l = t.intern(longer, longer.length);
        assertThat(l).hasSize(StringTable.MAX_LENGTH + 1);
        assertThat(t.intern(longer, longer.length)).isNotSameAs(l).isEqualTo(l); // not held
    }

    /** Two contents with one slot (a table of 2): a content found since it was filled keeps the slot once. */
    @Test
    void aContentFoundKeepsItsSlotOnce() {
        StringTable t = new StringTable(2);
        byte[] a = utf8("us-east-1");
        byte[] b = null;
        for (int i = 0; b == null; i++) {
            byte[] c = utf8("fn-" + i);
            if (((StringTable.hash(c, c.length) ^ StringTable.hash(a, a.length)) & 1) == 0) b = c;
        }
        String sa = t.intern(a, a.length);
        assertThat(t.intern(a, a.length)).isSameAs(sa);       // found: second chance
        String sb = t.intern(b, b.length);                    // a keeps the slot
        assertThat(t.intern(a, a.length)).isSameAs(sa);
        assertThat(t.intern(b, b.length)).isNotSameAs(sb);    // a was found again: b still not held
        String sb2 = t.intern(b, b.length);                   // a not found since: b takes the slot
        assertThat(t.intern(b, b.length)).isSameAs(sb2);
        assertThat(t.intern(a, a.length)).isNotSameAs(sa).isEqualTo("us-east-1");
    }

    @Test
    void hashReadsEveryByte() {
        Random r = new Random(3);
        for (int n = 0; n < 40; n++) {
            byte[] x = new byte[n + 1];
            r.nextBytes(x);
            for (int i = 0; i <= n; i++) {
                byte[] y = x.clone();
                y[i] ^= 1;
                assertThat(StringTable.hash(y, y.length)).as("length %d, byte %d", n + 1, i).isNotEqualTo(StringTable.hash(x, x.length));
            }
        }
    }
}
