package io.augur.job.state;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The local Flink environment and state backend the savepoint tools run their State Processor API jobs in. */
final class SavepointEnvironments {
    private SavepointEnvironments() {}

    /** Local, no Kryo (like the job: every state type is Avro or a Flink basic type). */
    static StreamExecutionEnvironment create(int parallelism) {
        return create(parallelism, false);
    }

    /**
     * With {@code writer}: generic types allowed, because the State Processor API's savepoint writer passes its own
     * metadata objects ({@code OperatorState}) between its operators as generic types. Augur's state itself never goes
     * through Kryo: it is copied as bytes of the state descriptors' serializers.
     */
    static StreamExecutionEnvironment create(int parallelism, boolean writer) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, writer);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (parallelism > 0) env.setParallelism(parallelism);
        return env;
    }

    /**
     * The job's state backend (RocksDB, heap timers as AugurJob configures them). Savepoints are in Flink's canonical
     * format, so this only decides where the tool keeps state while it reads or writes: on local disk, not the heap.
     */
    static StateBackend backend() {
        EmbeddedRocksDBStateBackend b = new EmbeddedRocksDBStateBackend();
        b.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        return b;
    }
}
