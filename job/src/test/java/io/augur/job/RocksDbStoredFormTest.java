package io.augur.job;

import io.augur.job.config.AugurConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.SstFileReader;
import org.rocksdb.TableProperties;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SST files a checkpoint of the job's RocksDB state copies are written the way {@code state.rocksdb.compression}
 * and {@code state.rocksdb.block-size} say (docs/history/benchmarks.md, session 10: sizes and CPU of each compression): keyed state written through Flink's RocksDB backend configured from
 * {@link AugurJob#flinkConfiguration}, a checkpoint taken, and its SST files opened with RocksDB's own reader.
 */
class RocksDbStoredFormTest {
    @TempDir
    Path tmp;
    private int copies;

    @Test
    void byDefaultFlushesAreLz4CompactionsZstdInBlocksOf16Kb() throws Exception {
        Configuration flink = AugurJob.flinkConfiguration(AugurConfig.defaults(), false);
        assertThat(flink.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)).containsExactly(CompressionType.LZ4_COMPRESSION, CompressionType.ZSTD_COMPRESSION);
        assertThat(flink.get(RocksDBConfigurableOptions.BLOCK_SIZE)).isEqualTo(MemorySize.parse("16kb"));
        assertThat(AugurJob.flinkConfiguration(AugurConfig.defaults(), true).get(RocksDBConfigurableOptions.BLOCK_SIZE)).isEqualTo(MemorySize.parse("16kb"));
        // the checkpoint's own memtable flush: level 0, LZ4
        List<TableProperties> sst = checkpointSstFiles(AugurConfig.defaults());
        assertThat(sst).hasSize(1);
        assertThat(sst.get(0).getCompressionName()).isEqualTo("LZ4");
        // a harness under a tiny memory budget flushes after every few writes: level-0 files (LZ4) compacted into level 1 (ZSTD)
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (TableProperties p : checkpointSstFiles(AugurConfig.defaults(), 50, true)) names.add(p.getCompressionName());
        assertThat(names).containsExactlyInAnyOrder("LZ4", "ZSTD");
        // the same rows in Flink's 4 KB blocks take about four times the blocks
        long blocks16 = sst.stream().mapToLong(TableProperties::getNumDataBlocks).sum();
        long blocks4 = checkpointSstFiles(AugurConfig.defaults().with("state.rocksdb.block-size", "")).stream()
                .mapToLong(TableProperties::getNumDataBlocks).sum();
        assertThat(blocks4).isGreaterThanOrEqualTo(3 * blocks16);
        for (TableProperties p : checkpointSstFiles(AugurConfig.defaults().with("state.rocksdb.compression", "zstd"))) {
            assertThat(p.getCompressionName()).isEqualTo("ZSTD");
        }
    }

    @Test
    void theCompressionIsConfigurablePerLevelAndEmptyMeansFlinksSnappy() throws Exception {
        for (String[] c : new String[][] {{"lz4", "LZ4"}, {"snappy", "Snappy"}, {"none", "NoCompression"}, {"", "Snappy"}}) {
            for (TableProperties p : checkpointSstFiles(AugurConfig.defaults().with("state.rocksdb.compression", c[0]))) {
                assertThat(p.getCompressionName()).as(c[0]).isEqualTo(c[1]);
            }
        }
        // per level: memtable flushes (level 0) take the first, compactions into deeper levels the others
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (TableProperties p : checkpointSstFiles(AugurConfig.defaults().with("state.rocksdb.compression", "lz4,zstd"))) names.add(p.getCompressionName());
        assertThat(names).contains("LZ4").isSubsetOf("LZ4", "ZSTD");
        assertThat(AugurConfig.rocksDbCompression("lz4, zstd")).containsExactly(org.rocksdb.CompressionType.LZ4_COMPRESSION,
                org.rocksdb.CompressionType.ZSTD_COMPRESSION);
        assertThat(AugurConfig.rocksDbCompression("")).isEmpty();
        assertThatThrownBy(() -> AugurConfig.defaults().with("state.rocksdb.compression", "gzip"))
                .hasMessageContaining("state.rocksdb.compression=gzip is not valid").hasMessageContaining("none, snappy, lz4 or zstd");
        assertThatThrownBy(() -> AugurConfig.defaults().with("state.rocksdb.compression", "zstd,"))
                .hasMessageContaining("state.rocksdb.compression=zstd, is not valid");
    }

    /** Writes 3,000 (or {@code keys}) keys' values through the configured RocksDB backend, checkpoints, and reads the table properties of its SST files. */
    private List<TableProperties> checkpointSstFiles(AugurConfig cfg) throws Exception {
        return checkpointSstFiles(cfg, 3_000, false);
    }

    /** {@code tinyBudget}: RocksDB within the harness's (tiny) managed memory; else with its own memtables (8 MB: one flush). */
    private List<TableProperties> checkpointSstFiles(AugurConfig cfg, int keys, boolean tinyBudget) throws Exception {
        Configuration conf = AugurJob.flinkConfiguration(cfg, false);
        conf.set(org.apache.flink.contrib.streaming.state.RocksDBOptions.USE_MANAGED_MEMORY, tinyBudget);
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());
        List<TableProperties> out = new ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Remember()), s -> s.substring(0, s.lastIndexOf('=')), Types.STRING)) {
            h.setStateBackend(backend);
            h.open();
            for (int i = 0; i < keys; i++) {
                h.processElement("123456789012|us-east-1|AWS/ApplicationELB|TargetResponseTime|LoadBalancer=app/lb-" + i + "|p99="
                        + "x".repeat(40) + i * 7919L, i);
            }
            if (tinyBudget) {
                // RocksDB compacts in the background, so whether a level-1 file exists at the snapshot depended on timing:
                // compact the state now (its files go to the deeper levels), then write once more so the snapshot's own
                // flush writes a level-0 file
                ((org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
                        .compactState(new ValueStateDescriptor<>("last", Types.STRING));
                h.processElement("after-compaction=" + keys, keys);
            }
            OperatorSubtaskState snapshot = h.snapshot(1, 1);
            RocksDB.loadLibrary();
            for (KeyedStateHandle k : snapshot.getManagedKeyedState()) {
                IncrementalKeyedStateHandle inc = (IncrementalKeyedStateHandle) k;
                List<IncrementalKeyedStateHandle.HandleAndLocalPath> files = new ArrayList<>(inc.getSharedStateHandles());
                if (k instanceof org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle r) files.addAll(r.getPrivateState());
                for (IncrementalKeyedStateHandle.HandleAndLocalPath f : files) {
                    if (!f.getLocalPath().endsWith(".sst")) continue;
                    Path copy = tmp.resolve("f" + (copies++) + ".sst");
                    StreamStateHandle handle = f.getHandle();
                    try (InputStream in = handle.openInputStream()) {
                        Files.copy(in, copy);
                    }
                    try (Options o = new Options(); SstFileReader r = new SstFileReader(o)) {
                        r.open(copy.toString());
                        out.add(r.getTableProperties());
                    }
                }
            }
        }
        return out;
    }

    /** Keeps each key's last value (a ValueState, like the job's per-series rows). */
    static final class Remember extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<String> last;

        @Override
        public void open(Configuration parameters) {
            last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", Types.STRING));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            last.update(value);
        }
    }
}
