package io.augur.job.state;

import io.augur.job.config.AugurConfig;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Not a test: dumps the Avro bytes of every value of two states of a checkpoint/savepoint (for offline size analysis).
 * {@code java ... StateRowProbe CHECKPOINT OUTDIR}: OUTDIR/&lt;uid&gt;.&lt;state&gt;.tsv lines "key TAB base64".
 */
public final class StateRowProbe {
    static final TypeInformation<Tuple3<String, String, byte[]>> ROW = Types.TUPLE(Types.STRING, Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));

    public static void main(String[] args) throws Exception {
        String savepoint = args[0];
        Path out = Files.createDirectories(Path.of(args[1]));
        AugurConfig cfg = AugurConfig.defaults();
        var env = SavepointEnvironments.create(2);
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        DataStream<Tuple3<String, String, byte[]>> all = null;
        for (StateCatalog.KeyedOperator op : StateCatalog.keyed(cfg)) {
            if (!List.of("dedup-datapoints", "score-datapoints", "anomaly-burst-candidates", "anomaly-forecast").contains(op.uid())) continue;
            var s = reader.readKeyedState(OperatorIdentifier.forUid(op.uid()), new Dump(op), StateCatalog.keyType(op.uid()), ROW);
            all = all == null ? s : all.union(s);
        }
        java.util.Map<String, PrintWriter> files = new java.util.HashMap<>();
        try (CloseableIterator<Tuple3<String, String, byte[]>> it = all.executeAndCollect("probe")) {
            while (it.hasNext()) {
                var e = it.next();
                PrintWriter w = files.computeIfAbsent(e.f0, k -> {
                    try {
                        return new PrintWriter(Files.newBufferedWriter(out.resolve(k + ".tsv")));
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                });
                w.println(e.f1 + "\t" + Base64.getEncoder().encodeToString(e.f2));
            }
        }
        for (PrintWriter w : files.values()) w.close();
    }

    static final class Dump extends KeyedStateReaderFunction<String, Tuple3<String, String, byte[]>> {
        private final StateCatalog.KeyedOperator op;
        private transient KeyedStates states;

        Dump(StateCatalog.KeyedOperator op) {
            this.op = op;
        }

        @Override
        public void open(Configuration parameters) {
            states = StateFunctions.register(op, getRuntimeContext());
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void readKey(String key, Context ctx, Collector<Tuple3<String, String, byte[]>> out) throws Exception {
            List<Object> values = states.read();
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (!(v instanceof SpecificRecord r)) continue;
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(b, null);
                new SpecificDatumWriter(r.getSchema()).write(r, e);
                e.flush();
                out.collect(Tuple3.of(op.uid() + "." + op.states().get(i).name(), key, b.toByteArray()));
            }
        }
    }
}
