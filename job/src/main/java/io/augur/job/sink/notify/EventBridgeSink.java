package io.augur.job.sink.notify;

import io.augur.ops.notify.AwsErrors;
import io.augur.ops.notify.DevOpsGuruNames;
import io.augur.ops.notify.NotificationPayloads;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Puts insight events on an EventBridge bus with PutEvents (up to 10 entries and 256 KB a call): source from
 * {@code notify.eventbridge.source}, DevOps Guru's detail-types, detail = the DevOps Guru body plus
 * {@code notificationId}, time = the event's time. Entries reported failed (FailedEntryCount, per-entry ErrorCode) are
 * retried when throttled or internal errors, and otherwise logged and dropped.
 */
public final class EventBridgeSink extends NotificationSink<InsightNotification> {
    private static final long serialVersionUID = 1L;

    EventBridgeSink(NotifySettings settings) {
        super(new Converter(settings.eventSource), settings, NotifySettings.Sink.EVENTBRIDGE, settings.maxInFlight,
                NotificationPayloads.EVENTBRIDGE_MAX_BYTES, NotificationPayloads.EVENTBRIDGE_MAX_BYTES);
    }

    @Override
    public Writer restoreWriter(Sink.InitContext context, Collection<BufferedRequestState<InsightNotification>> states) {
        return new Writer(this, context, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<InsightNotification>> getWriterStateSerializer() {
        return new InsightNotificationStateSerializer();
    }

    /** A copy of the notification whose body is the event detail, fitted to the entry limit. */
    static final class Converter implements ElementConverter<InsightNotification, InsightNotification> {
        private static final long serialVersionUID = 1L;
        private final String source;
        private transient Counter truncated;

        Converter(String source) {
            this.source = source;
        }

        @Override
        public void open(Sink.InitContext context) {
            truncated = context.metricGroup().counter("augur.notify.truncated");
        }

        @Override
        public InsightNotification apply(InsightNotification n, SinkWriter.Context context) {
            InsightNotification e = NotificationPayloads.forEventBridge(n, source);
            if (truncated != null && e.getBody().contains("\"truncated\":true") && !n.getBody().contains("\"truncated\":true")) truncated.inc();
            return e;
        }
    }

    static final class Writer extends NotificationWriter<InsightNotification> {
        private final String bus;
        private final String source;
        private final SdkAsyncHttpClient http;
        private final EventBridgeAsyncClient client;

        Writer(EventBridgeSink sink, Sink.InitContext context, Collection<BufferedRequestState<InsightNotification>> states) {
            super(sink.getElementConverter(), context, sink.writerConfiguration(), states, sink.settings, "eventbridge");
            this.bus = settings.eventBusName;
            this.source = settings.eventSource;
            this.http = AwsClients.httpClient(settings, sink.getMaxInFlightRequests() * 2);
            this.client = AwsClients.build(EventBridgeAsyncClient.builder(), settings, settings.eventBridgeEndpoint, http);
        }

        @Override
        protected String name() {
            return "EventBridge sink (bus " + bus + ")";
        }

        @Override
        protected void submitRequestEntries(List<InsightNotification> entries, ResultHandler<InsightNotification> handler) {
            List<PutEventsRequestEntry> batch = new ArrayList<>(entries.size());
            for (InsightNotification n : entries) {
                batch.add(PutEventsRequestEntry.builder()
                        .eventBusName(bus).source(source).detailType(DevOpsGuruNames.detailType(n.getMessageType()))
                        .detail(n.getBody()).time(Instant.ofEpochMilli(n.getTime())).resources(List.of())
                        .build());
            }
            client.putEvents(r -> r.entries(batch)).whenComplete((response, error) -> {
                try {
                    if (error != null) failedRequest(handler, entries, error, "event bus " + bus, "notify.eventbridge.bus-name",
                            "EventBridge refused a PutEvents request of " + entries.size()
                            + " event(s) as invalid; check notify.eventbridge.source and notify.eventbridge.bus-name");
                    else completed(entries, handler, response);
                } catch (RuntimeException e) {
                    handler.completeExceptionally(e);
                }
            });
        }

        private void completed(List<InsightNotification> entries, ResultHandler<InsightNotification> handler, PutEventsResponse response) {
            Integer failedCount = response.failedEntryCount();
            if (failedCount == null || failedCount == 0) {
                succeeded(entries.size());
                handler.complete();
                return;
            }
            List<PutEventsResultEntry> results = response.entries();
            if (results.size() != entries.size()) {
                retryLater(handler, entries, "PutEvents reported " + failedCount + " failed entries but returned " + results.size() + " results for " + entries.size());
                return;
            }
            List<InsightNotification> retry = new ArrayList<>();
            String lastError = null;
            int ok = 0;
            for (int i = 0; i < entries.size(); i++) {
                PutEventsResultEntry r = results.get(i);
                if (r.errorCode() == null || r.errorCode().isEmpty()) {
                    ok++;
                    continue;
                }
                String why = r.errorCode() + ": " + r.errorMessage();
                AwsErrors.Decision d = AwsErrors.classify(r.errorCode(), 400, "event bus " + bus, "notify.eventbridge.bus-name and notify.eventbridge.source");
                switch (d.action()) {
                    case RETRY:
                        retry.add(entries.get(i));
                        lastError = why;
                        break;
                    case FATAL:
                        fatal(handler, d, new IllegalStateException(why));
                        return;
                    default:
                        reject(entries.get(i).getId(), why);
                }
            }
            succeeded(ok);
            if (retry.isEmpty()) handler.complete();
            else retryLater(handler, retry, lastError);
        }

        @Override
        protected long getSizeInBytes(InsightNotification n) {
            return NotificationPayloads.eventBridgeBytes(n, source);
        }

        @Override
        public void close() {
            super.close();
            client.close();
            http.close();
        }
    }
}
