package io.augur.job.state;

import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Not a test: estimates what the keys of the dumped rows ({@link StateRowProbe}) cost in RocksDB SST data blocks
 * (4 KB blocks, keys delta-encoded against the previous key with a restart every 16 keys, Snappy per block), with the
 * keys as they are (key group, serialized seriesId|stat string, namespace byte) and as an 8-byte hash.
 * {@code KeyCostProbe DUMPDIR}.
 */
public final class KeyCostProbe {
    record Row(byte[] key, byte[] value) {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long series = 0;
        for (String state : new String[] {"dedup-datapoints.series-seen", "score-datapoints.series-baseline", "anomaly-burst-candidates.reactive-series"}) {
            List<Row> plain = new ArrayList<>(), hashed = new ArrayList<>();
            DataOutputSerializer out = new DataOutputSerializer(256);
            long keyBytes = 0;
            for (String line : Files.readAllLines(dir.resolve(state + ".tsv"))) {
                String[] kv = line.split("\t");
                byte[] v = Base64.getDecoder().decode(kv[1]);
                byte[] value = new byte[8 + v.length]; // TTL timestamp + value
                System.arraycopy(v, 0, value, 8, v.length);
                long ts = 1_767_575_000_000L + (line.hashCode() & 0xffff);
                for (int i = 0; i < 8; i++) value[i] = (byte) (ts >>> (56 - 8 * i));
                out.clear();
                out.writeByte(KeyGroupRangeAssignment.assignToKeyGroup(kv[0], 128));
                StringSerializer.INSTANCE.serialize(kv[0], out);
                out.writeByte(0);
                plain.add(new Row(out.getCopyOfBuffer(), value));
                keyBytes += out.length();
                long h = murmur64(kv[0]);
                out.clear();
                out.writeByte(KeyGroupRangeAssignment.assignToKeyGroup(h, 128));
                out.writeLong(h);
                out.writeByte(0);
                hashed.add(new Row(out.getCopyOfBuffer(), value));
            }
            series = plain.size();
            long[] a = sst(plain), b = sst(hashed);
            System.out.printf("%-45s rows %,d: key %.1f B raw; SST blocks raw %.1f B/row, snappy %.1f B/row; 8-byte hash keys: raw %.1f, snappy %.1f B/row (saves %.1f)%n",
                    state, plain.size(), keyBytes / (double) plain.size(), a[0] / (double) plain.size(), a[1] / (double) plain.size(),
                    b[0] / (double) plain.size(), b[1] / (double) plain.size(), (a[1] - b[1]) / (double) plain.size());
        }
    }

    /** {uncompressed, snappy} bytes of the data blocks. */
    static long[] sst(List<Row> rows) throws Exception {
        rows.sort((x, y) -> Arrays.compareUnsigned(x.key, y.key));
        long raw = 0, compressed = 0;
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        byte[] prev = new byte[0];
        int inBlock = 0;
        for (Row r : rows) {
            int shared = 0;
            if (inBlock % 16 != 0) while (shared < Math.min(prev.length, r.key.length) && prev[shared] == r.key[shared]) shared++;
            varint(block, shared);
            varint(block, r.key.length - shared);
            varint(block, r.value.length);
            block.write(r.key, shared, r.key.length - shared);
            block.write(r.value);
            prev = r.key;
            inBlock++;
            if (block.size() >= 4096) {
                raw += block.size();
                compressed += Snappy.compress(block.toByteArray()).length;
                block.reset();
                inBlock = 0;
            }
        }
        if (block.size() > 0) {
            raw += block.size();
            compressed += Snappy.compress(block.toByteArray()).length;
        }
        return new long[] {raw, compressed};
    }

    static void varint(ByteArrayOutputStream o, int v) {
        while ((v & ~0x7f) != 0) {
            o.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        o.write(v);
    }

    static long murmur64(String s) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        return h;
    }
}
