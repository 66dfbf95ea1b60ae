package io.augur.job.state;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;
import org.rocksdb.WriteOptions;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: the steady-state cost of a RocksDB compression on the job's own rows. The rows of a kept bench checkpoint's
 * SST files (keys and values as the job wrote them) are written into a fresh RocksDB with the job's settings (8 MB
 * memtables, level compaction, Flink's level sizes) round after round, the way the job writes every active series' rows
 * back before each checkpoint; each round ends with a flush (a checkpoint). Then every key is read once with a small
 * block cache (a series beyond the heap caches). Prints the process CPU per row written (incl. RocksDB's background
 * flushes and compactions), per row read, and the live SST bytes per row at the end.
 * {@code RocksDbCompressionProbe CHECKPOINT_DIR ROUNDS COPIES COMPRESSION[,COMPRESSION..] [BLOCK_SIZE]} where COPIES
 * multiplies the keys (each copy's keys differ in their last byte); each round changes four bytes of every value.
 */
public final class RocksDbCompressionProbe {
    public static void main(String[] args) throws Exception {
        RocksDB.loadLibrary();
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int copies = Integer.parseInt(args[2]);
        List<CompressionType> levels = new ArrayList<>();
        for (String c : args[3].split(",")) levels.add(CompressionType.valueOf((c.equals("none") ? "NO" : c.toUpperCase()) + "_COMPRESSION"));
        long blockSize = args.length > 4 ? Long.parseLong(args[4]) : 4096;
        List<byte[]> keys = new ArrayList<>(), values = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            try (Options o = new Options(); SstFileReader r = new SstFileReader(o); ReadOptions ro = new ReadOptions()) {
                r.open(f.toString());
                try (SstFileReaderIterator it = r.newIterator(ro)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        keys.add(it.key());
                        values.add(it.value());
                    }
                }
            } catch (org.rocksdb.RocksDBException notSst) {
                // not an SST file
            }
        }
        int n = keys.size();
        List<byte[]> allKeys = new ArrayList<>(), allValues = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < n; i++) {
                byte[] k = keys.get(i);
                if (c > 0) {
                    k = java.util.Arrays.copyOf(k, k.length + 1);
                    k[k.length - 1] = (byte) c;
                }
                allKeys.add(k);
                allValues.add(values.get(i));
            }
        }
        Path db = Files.createTempDirectory("rocks-probe");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LRUCache cache = new LRUCache(8 << 20);
             Options o = new Options().setCreateIfMissing(true).setWriteBufferSize(8 << 20).setMaxWriteBufferNumber(2)
                     .setCompressionPerLevel(levels).setMaxBackgroundJobs(2)
                     .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(blockSize).setBlockCache(cache).setFormatVersion(4));
             WriteOptions wo = new WriteOptions().setDisableWAL(true); FlushOptions fo = new FlushOptions().setWaitForFlush(true);
             RocksDB rocks = RocksDB.open(o, db.toString())) {
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < allKeys.size(); i++) {
                    // the key's own value with a few bytes changed each round, as a series' state changes from minute to minute
                    byte[] v = allValues.get(i).clone();
                    for (int b = 0; b < 4 && v.length > 8; b++) v[8 + Math.floorMod(r * 13 + b * 29 + i, v.length - 8)] ^= (byte) (r + 1);
                    rocks.put(wo, allKeys.get(i), v);
                }
                rocks.flush(fo);
            }
            // compactions still pending belong to the writes
            while (rocks.getLongProperty("rocksdb.compaction-pending") > 0 || rocks.getLongProperty("rocksdb.num-running-compactions") > 0) Thread.sleep(20);
            long cpu1 = os.getProcessCpuTime(), t1 = System.nanoTime();
            long reads = 0;
            try (ReadOptions ro = new ReadOptions()) {
                for (int i = allKeys.size() - 1; i >= 0; i -= 1) if (rocks.get(ro, allKeys.get(i)) != null) reads++;
            }
            long cpu2 = os.getProcessCpuTime();
            long sst = rocks.getLongProperty("rocksdb.live-sst-files-size");
            java.util.Set<String> used = new java.util.TreeSet<>();
            for (org.rocksdb.LiveFileMetaData m : rocks.getLiveFilesMetaData()) {
                try (Options ro2 = new Options(); SstFileReader r = new SstFileReader(ro2)) {
                    r.open(m.path() + m.fileName());
                    used.add("L" + m.level() + ":" + r.getTableProperties().getCompressionName());
                }
            }
            double written = (double) rounds * allKeys.size();
            System.out.printf("%-18s block %6d: %,d keys x %d rounds: write %.2f us CPU/row (%.1f s wall), read %.2f us CPU/row, live SST %.1f B/row; files %s%n",
                    args[3], blockSize, allKeys.size(), rounds, (cpu1 - cpu0) / 1e3 / written, (t1 - t0) / 1e9, (cpu2 - cpu1) / 1e3 / reads,
                    sst / (double) allKeys.size(), used);
        } finally {
            org.apache.flink.util.FileUtils.deleteDirectory(db.toFile());
        }
    }
}
