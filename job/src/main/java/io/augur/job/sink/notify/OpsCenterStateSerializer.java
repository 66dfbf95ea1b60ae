package io.augur.job.sink.notify;

import io.augur.schema.InsightNotification;
import io.augur.schema.OpsItemRef;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpointed state of the OpsCenter sink: buffered notifications and the insight → OpsItem ids it has learnt, each a
 * tag byte (0 notification, 1 reference) and Avro binary. Version 1 = InsightNotification v1 and OpsItemRef v1.
 */
public final class OpsCenterStateSerializer extends AsyncSinkWriterStateSerializer<OpsCenterEntry> {
    static final int VERSION = 1;
    private static final byte NOTIFICATION = 0;
    private static final byte REF = 1;

    @Override
    protected void serializeRequestToStream(OpsCenterEntry e, DataOutputStream out) throws IOException {
        if (e.isRef()) {
            out.writeByte(REF);
            AvroBytes.write(e.ref(), out);
        } else {
            out.writeByte(NOTIFICATION);
            AvroBytes.write(e.notification(), out);
        }
    }

    @Override
    protected OpsCenterEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NOTIFICATION: return OpsCenterEntry.of(AvroBytes.read(InsightNotification.class, in));
            case REF: return OpsCenterEntry.of(AvroBytes.read(OpsItemRef.class, in));
            default: throw new IOException("corrupt OpsCenter sink state: unknown entry tag " + tag);
        }
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
