package io.augur.ops.flink.parse;

import io.augur.ops.deadletter.DeadLetters;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.SideOutputs;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.schema.ChangeEvent;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.RawRecord;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Raw records in; metric datapoints out, change events and dead letters to side outputs. A thin shell around
 * {@link RecordParser}: it never throws for bad input, so a poison record cannot fail the job.
 */
public class ParseRecords extends ProcessFunction<RawRecord, MetricDatapoint> {
    public static final String EVENT_TIME_REACHED = "augur.eventTimeReached";
    private final int maxRecordBytes;
    private final int maxDecompressedBytes;
    private final int deadLetterPayloadChars;

    private transient RecordParser parser;
    private transient ParseResult result;
    private transient IoCounters counters;
    private transient LongMaximum eventTimeReached;

    public ParseRecords(int maxRecordBytes, int maxDecompressedBytes, int deadLetterPayloadChars) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new RecordParser(maxRecordBytes, maxDecompressedBytes);
        result = new ParseResult();
        counters = new IoCounters(getRuntimeContext());
        eventTimeReached = new LongMaximum(Long.MIN_VALUE);
        getRuntimeContext().addAccumulator(EVENT_TIME_REACHED, eventTimeReached);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<MetricDatapoint> out) {
        result.clear();
        parser.parse(bytes(raw.getPayload()), result);
        counters.inc(IoCounters.RECORDS, 1);
        counters.inc(IoCounters.READ, result.read());
        counters.inc(IoCounters.ACCEPTED_METRICS, result.metrics.size());
        counters.inc(IoCounters.ACCEPTED_EVENTS, result.events.size());
        for (Map.Entry<String, Integer> e : result.ignored.entrySet()) counters.inc(IoCounters.IGNORED + e.getKey(), e.getValue());
        for (MetricDatapoint m : result.metrics) {
            if (m.getTimestamp() > eventTimeReached.getLocalValuePrimitive()) eventTimeReached.add(m.getTimestamp());
            out.collect(m);
        }
        for (ChangeEvent e : result.events) ctx.output(SideOutputs.CHANGE_EVENTS, e);
        for (ParseResult.Rejection r : result.rejections) {
            counters.deadLetter(r.reason());
            ctx.output(SideOutputs.DEAD_LETTERS,
                    DeadLetters.of(r.reason(), r.detail(), raw.getOrigin(), raw.getReceivedAt(), r.payload(), deadLetterPayloadChars));
        }
    }

    static byte[] bytes(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) return b.array();
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }
}
