package io.augur.ops.flink;

import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The side outputs Augur's operators share. Typed with Avro type information: never Kryo. */
public final class SideOutputs {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));
    public static final OutputTag<ChangeEvent> CHANGE_EVENTS = new OutputTag<>("change-events", new AvroTypeInfo<>(ChangeEvent.class));

    private SideOutputs() {}
}
