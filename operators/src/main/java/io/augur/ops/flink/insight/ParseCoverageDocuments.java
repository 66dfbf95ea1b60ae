package io.augur.ops.flink.insight;

import io.augur.ops.coverage.CoverageDocuments;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.deadletter.DeadLetters;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.SideOutputs;
import io.augur.schema.CoverageSettings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;

/** Lines of coverage control files into settings; a bad line goes to the dead letters and changes nothing. */
public class ParseCoverageDocuments extends ProcessFunction<String, CoverageSettings> {
    public static final String ORIGIN = "coverage-control";
    private final int payloadChars;
    private transient IoCounters counters;

    public ParseCoverageDocuments(int payloadChars) {
        this.payloadChars = payloadChars;
    }

    @Override
    public void open(Configuration parameters) {
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(String line, Context ctx, Collector<CoverageSettings> out) {
        if (line.isBlank()) return;
        try {
            out.collect(CoverageDocuments.parse(line, ORIGIN));
            counters.inc("coverage.controlDocuments", 1);
        } catch (IllegalArgumentException e) {
            DeadLetterReason reason = e.getMessage().contains("not JSON") ? DeadLetterReason.MALFORMED_JSON : DeadLetterReason.INVALID_VALUE;
            ctx.output(SideOutputs.DEAD_LETTERS, DeadLetters.of(reason, e.getMessage(), ORIGIN, System.currentTimeMillis(),
                    line.getBytes(StandardCharsets.UTF_8), payloadChars));
            counters.inc("coverage.badControlDocuments", 1);
        }
    }
}
