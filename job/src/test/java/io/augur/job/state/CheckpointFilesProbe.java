package io.augur.job.state;

import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.TableProperties;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Not a test: what a RocksDB checkpoint directory is made of. Every file is opened as an SST file; those that are give
 * their table properties (column family = state name, entries, raw key and value bytes, data/index/filter block bytes),
 * summed per column family; the rest (MANIFEST, OPTIONS, CURRENT, Flink's metadata and heap-timer streams) are summed
 * by kind. With {@code --recompress}, every SST file is also written again with each compression (SstFileWriter, same
 * entries in the same order; 4 KB blocks or {@code -Dprobe.blockSize}) to compare sizes on the very same rows.
 * {@code CheckpointFilesProbe DIR [SERIES] [--recompress]}.
 */
public final class CheckpointFilesProbe {
    static final class Sum {
        long files, entries, rawKey, rawValue, data, index, filter, fileBytes;
        final Map<String, Long> recompressed = new TreeMap<>();
        final Map<String, long[]> nanos = new TreeMap<>(); // per compression: write, read
        final java.util.Set<String> compressions = new java.util.TreeSet<>();
    }

    public static void main(String[] args) throws Exception {
        RocksDB.loadLibrary();
        Path dir = Path.of(args[0]);
        int series = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 0;
        boolean recompress = List.of(args).contains("--recompress");
        CompressionType[] types = {CompressionType.NO_COMPRESSION, CompressionType.SNAPPY_COMPRESSION, CompressionType.LZ4_COMPRESSION,
                CompressionType.ZSTD_COMPRESSION};
        Map<String, Sum> perCf = new TreeMap<>();
        Map<String, long[]> other = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path tmp = Files.createTempDirectory("ckpt-probe");
        for (Path f : files) {
            long size = Files.size(f);
            TableProperties p = null;
            try (Options o = new Options(); SstFileReader r = new SstFileReader(o)) {
                r.open(f.toString());
                p = r.getTableProperties();
                String cf = new String(p.getColumnFamilyName(), StandardCharsets.UTF_8);
                Sum sum = perCf.computeIfAbsent(cf, k -> new Sum());
                sum.files++;
                sum.entries += p.getNumEntries();
                sum.rawKey += p.getRawKeySize();
                sum.rawValue += p.getRawValueSize();
                sum.data += p.getDataSize();
                sum.index += p.getIndexSize();
                sum.filter += p.getFilterSize();
                sum.fileBytes += size;
                sum.compressions.add(p.getCompressionName());
                if (recompress) {
                    for (CompressionType t : types) {
                        long[] ns = sum.nanos.computeIfAbsent(t.name(), k -> new long[2]);
                        sum.recompressed.merge(t.name(), rewrite(r, tmp.resolve("x.sst"), t, ns), Long::sum);
                    }
                }
            } catch (org.rocksdb.RocksDBException notSst) {
                String name = f.getFileName().toString();
                String kind = name.equals("_metadata") ? "_metadata" : kind(f);
                long[] c = other.computeIfAbsent(kind, k -> new long[2]);
                c[0]++;
                c[1] += size;
            }
        }
        double per = series > 0 ? series : 1;
        System.out.printf("%-42s %5s %11s %9s %9s %9s %9s %9s %9s %9s%n", "column family (state)", "files", "entries", "file B/s", "data B/s",
                "index B/s", "other B/s", "rawK B/s", "rawV B/s", "B/file*");
        Sum all = new Sum();
        for (Map.Entry<String, Sum> e : perCf.entrySet()) {
            Sum s = e.getValue();
            System.out.printf("%-42s %5d %,11d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.0f%n", e.getKey(), s.files, s.entries, s.fileBytes / per,
                    s.data / per, s.index / per, (s.fileBytes - s.data - s.index - s.filter) / per, s.rawKey / per, s.rawValue / per,
                    (s.fileBytes - s.data) / (double) s.files);
            System.out.println("      compression " + s.compressions);
            all.files += s.files;
            all.entries += s.entries;
            all.fileBytes += s.fileBytes;
            all.data += s.data;
            all.index += s.index;
            all.filter += s.filter;
            all.rawKey += s.rawKey;
            all.rawValue += s.rawValue;
            s.recompressed.forEach((k, v) -> all.recompressed.merge(k, v, Long::sum));
            s.nanos.forEach((k, v) -> {
                long[] a = all.nanos.computeIfAbsent(k, x -> new long[2]);
                a[0] += v[0];
                a[1] += v[1];
            });
        }
        System.out.printf("%-42s %5d %,11d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.0f%n", "all SST files", all.files, all.entries, all.fileBytes / per,
                all.data / per, all.index / per, (all.fileBytes - all.data - all.index - all.filter) / per, all.rawKey / per, all.rawValue / per,
                all.files == 0 ? 0 : (all.fileBytes - all.data) / (double) all.files);
        System.out.println("  * B/file: file bytes beyond the data blocks (index, filter, properties, footer) per file");
        long otherBytes = 0;
        for (Map.Entry<String, long[]> e : other.entrySet()) {
            System.out.printf("%-42s %5d %,14d B %9.1f B/series%n", "not SST: " + e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[1] / per);
            otherBytes += e.getValue()[1];
        }
        System.out.printf("total %,d B = %.1f B/series (SST %.1f, other %.1f)%n", all.fileBytes + otherBytes, (all.fileBytes + otherBytes) / per,
                all.fileBytes / per, otherBytes / per);
        if (recompress) {
            System.out.println("SST files written again with each compression (same entries):");
            for (Map.Entry<String, Sum> e : perCf.entrySet()) {
                StringBuilder b = new StringBuilder(String.format("  %-40s", e.getKey()));
                e.getValue().recompressed.forEach((k, v) -> b.append(String.format(" %s %.1f", k.replace("_COMPRESSION", ""), v / per)));
                System.out.println(b);
            }
            StringBuilder b = new StringBuilder(String.format("  %-40s", "all (B/series)"));
            all.recompressed.forEach((k, v) -> b.append(String.format(" %s %.1f", k.replace("_COMPRESSION", ""), v / per)));
            System.out.println(b);
            System.out.println("  time per entry (write with compression / read back and decompress every block), ns (-Dprobe.repeat runs, last counted):");
            all.nanos.forEach((k, v) -> System.out.printf("    %-8s write %.0f ns, read %.0f ns%n", k.replace("_COMPRESSION", ""), v[0] / (double) all.entries,
                    v[1] / (double) all.entries));
        }
    }

    private static String kind(Path f) throws java.io.IOException {
        byte[] head = new byte[Math.min(64, (int) Files.size(f))];
        try (var in = Files.newInputStream(f)) {
            int n = in.readNBytes(head, 0, head.length);
            String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            if (s.contains("RocksDB option file") || s.startsWith("#")) return "OPTIONS";
            if (s.startsWith("MANIFEST")) return "CURRENT";
            if (s.contains("leveldb.BytewiseComparator") || s.contains("rocksdb.")) return "MANIFEST";
        }
        return "other (timers, operator state, ...)";
    }

    /** Bytes of the entries of {@code r} written again into one SST file with compression {@code t}. */
    private static long rewrite(SstFileReader r, Path out, CompressionType t, long[] nanos) throws Exception {
        int repeat = Integer.getInteger("probe.repeat", 3);
        long size = 0;
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            size = rewrite(r, out, t);
            long t1 = System.nanoTime();
            if (size > 0) {
                try (Options o = new Options(); SstFileReader back = new SstFileReader(o); ReadOptions ro = new ReadOptions().setFillCache(false)) {
                    back.open(out.toString());
                    try (SstFileReaderIterator it = back.newIterator(ro)) {
                        for (it.seekToFirst(); it.isValid(); it.next()) it.value();
                    }
                }
            }
            long t2 = System.nanoTime();
            if (i == repeat - 1) {
                nanos[0] += t1 - t0;
                nanos[1] += t2 - t1;
            }
        }
        return size;
    }

    private static long rewrite(SstFileReader r, Path out, CompressionType t) throws Exception {
        Files.deleteIfExists(out);
        long n = 0;
        long blockSize = Long.getLong("probe.blockSize", 4096); // Flink's default block size
        try (Options o = new Options().setCompressionType(t)
                .setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig().setBlockSize(blockSize).setFormatVersion(Integer.getInteger("probe.formatVersion", 4)));
             EnvOptions env = new EnvOptions(); SstFileWriter w = new SstFileWriter(env, o);
             ReadOptions ro = new ReadOptions(); SstFileReaderIterator it = r.newIterator(ro)) {
            w.open(out.toString());
            for (it.seekToFirst(); it.isValid(); it.next()) {
                w.put(it.key(), it.value());
                n++;
            }
            if (n == 0) return 0;
            w.finish();
        }
        return Files.size(out);
    }
}
