package io.augur.job.sink.notify;

import io.augur.schema.InsightNotification;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * What the three notification sinks share: their batching, buffering and timeout settings from {@code notify.*}, a new
 * writer as a restore from no state, and the writer configuration built from those settings.
 */
abstract class NotificationSink<E extends Serializable> extends AsyncSinkBase<InsightNotification, E> {
    private static final long serialVersionUID = 1L;
    protected final NotifySettings settings;

    NotificationSink(ElementConverter<InsightNotification, E> converter, NotifySettings settings, NotifySettings.Sink sink,
                     int maxInFlight, long maxBatchBytes, long maxRecordBytes) {
        super(converter, settings.maxBatchSize, maxInFlight, settings.maxBuffered, maxBatchBytes, settings.maxTimeInBufferMs,
                maxRecordBytes, settings.requestTimeoutMs(sink), false);
        this.settings = settings;
    }

    @Override
    public SinkWriter<InsightNotification> createWriter(Sink.InitContext context) {
        return restoreWriter(context, List.of());
    }

    /** A writer restored from {@code states} (none for a new writer). */
    @Override
    public abstract NotificationWriter<E> restoreWriter(Sink.InitContext context, Collection<BufferedRequestState<E>> states);

    /** The writer configuration from this sink's settings. */
    AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .build();
    }
}
