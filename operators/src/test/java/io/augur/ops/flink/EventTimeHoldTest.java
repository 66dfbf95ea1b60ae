package io.augur.ops.flink;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeHoldTest {
    /** Input "key:time:item"; holds the item at the time; a timer emits "time=item,item,..." as taken. */
    static final class Holding extends KeyedProcessFunction<String, String, String> {
        private final String mode;
        private transient EventTimeHold<String> hold;
        final List<String> probes = new ArrayList<>();

        Holding(String mode) {
            this.mode = mode;
        }

        @Override
        public void open(Configuration parameters) {
            if (mode.equals("latest")) {
                hold = EventTimeHold.latest(getRuntimeContext().getMapState(new MapStateDescriptor<>("held", Types.LONG, Types.STRING)));
            } else {
                hold = EventTimeHold.list(getRuntimeContext().getMapState(new MapStateDescriptor<>("held", Types.LONG, new ListTypeInfo<>(Types.STRING))),
                        mode.equals("sorted") ? Comparator.naturalOrder() : null);
            }
        }

        @Override
        public void processElement(String in, Context ctx, Collector<String> out) throws Exception {
            String[] p = in.split(":");
            hold.hold(Long.parseLong(p[1]), p[2], ctx.timerService());
        }

        @Override
        public void onTimer(long t, OnTimerContext ctx, Collector<String> out) throws Exception {
            boolean held = hold.holdsAt(t);
            List<String> due = hold.take(t);
            out.collect(t + "=" + String.join(",", due) + (held ? "" : "(nothing held)") + (hold.isEmpty() ? ";empty" : ""));
        }
    }

    private static List<String> run(String mode, String... inputs) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, String, String>(
                new KeyedProcessOperator<>(new Holding(mode)), s -> s.split(":")[0], Types.STRING)) {
            h.open();
            for (String in : inputs) h.processElement(in, Long.parseLong(in.split(":")[1]));
            assertThat(h.numEventTimeTimers()).as("one timer per key and time").isEqualTo(3);
            h.processWatermark(new Watermark(4));
            assertThat(h.extractOutputValues()).as("only what was held at or before the watermark").containsExactly("3=c");
            h.processWatermark(new Watermark(10));
            assertThat(h.numKeyedStateEntries()).as("nothing left held").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            return h.extractOutputValues(); // keys of one time: in the timer service's order
        }
    }

    @Test
    void itemsAreTakenAtTheirTimeInTheGivenOrderAndNothingStaysBehind() throws Exception {
        assertThat(run("sorted", "k:5:b", "k:3:c", "k:5:a", "j:5:z"))
                .containsExactlyInAnyOrder("3=c", "5=a,b;empty", "5=z;empty");
    }

    @Test
    void withoutAnOrderItemsOfOneTimeComeInArrivalOrder() throws Exception {
        assertThat(run("arrival", "k:5:b", "k:3:c", "k:5:a", "j:5:z"))
                .containsExactlyInAnyOrder("3=c", "5=b,a;empty", "5=z;empty");
    }

    @Test
    void theLatestVariantKeepsOneItemPerTimeTheLastHeld() throws Exception {
        assertThat(run("latest", "k:5:b", "k:3:c", "k:5:a", "j:5:z"))
                .containsExactlyInAnyOrder("3=c", "5=a;empty", "5=z;empty");
    }
}
