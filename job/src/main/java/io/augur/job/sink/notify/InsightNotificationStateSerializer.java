package io.augur.job.sink.notify;

import io.augur.schema.InsightNotification;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpointed buffer of the SNS and EventBridge sinks: each entry is an {@link InsightNotification} (its body already
 * the exact payload to send) in Avro binary. Version 1 = InsightNotification schema v1. When that schema changes,
 * bump {@link #VERSION} and keep reading version 1 with the v1 writer schema ({@code NotificationSinkStateTest}
 * fails until then).
 */
public final class InsightNotificationStateSerializer extends AsyncSinkWriterStateSerializer<InsightNotification> {
    static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(InsightNotification request, DataOutputStream out) throws IOException {
        AvroBytes.write(request, out);
    }

    @Override
    protected InsightNotification deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        return AvroBytes.read(InsightNotification.class, in);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
