package io.augur.job.sink.notify;

import io.augur.ops.notify.AwsErrors;
import io.augur.ops.notify.FifoIds;
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
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes insight notifications to one SNS topic with PublishBatch (up to 10 messages and 256 KB a call). The message
 * is the DevOps Guru body; attributes {@code MessageType}, {@code Severity}, {@code InsightType} serve subscription
 * filter policies and {@code NotificationId} lets consumers drop repeats. A FIFO topic ({@code .fifo}) gets the insight
 * id as message group and the notification id as deduplication id, and one request in flight so each insight's
 * messages keep their order. Failed entries are mapped back by their batch entry id: only those are retried.
 */
public final class SnsSink extends NotificationSink<InsightNotification> {
    private static final long serialVersionUID = 1L;
    private final String topicArn;

    SnsSink(NotifySettings settings, String topicArn) {
        super(new Converter(), settings, NotifySettings.Sink.SNS, isFifo(topicArn) ? 1 : settings.maxInFlight,
                NotificationPayloads.SNS_MAX_BYTES, NotificationPayloads.SNS_MAX_BYTES);
        this.topicArn = topicArn;
    }

    static boolean isFifo(String topicArn) {
        return topicArn.endsWith(".fifo");
    }

    @Override
    public Writer restoreWriter(Sink.InitContext context, Collection<BufferedRequestState<InsightNotification>> states) {
        return new Writer(this, context, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<InsightNotification>> getWriterStateSerializer() {
        return new InsightNotificationStateSerializer();
    }

    /** A copy of the notification whose body fits SNS's limit together with its attributes. */
    static final class Converter implements ElementConverter<InsightNotification, InsightNotification> {
        private static final long serialVersionUID = 1L;
        private transient Counter truncated;

        @Override
        public void open(Sink.InitContext context) {
            truncated = context.metricGroup().counter("augur.notify.truncated");
        }

        @Override
        public InsightNotification apply(InsightNotification n, SinkWriter.Context context) {
            InsightNotification fitted = NotificationPayloads.forSns(n);
            if (fitted != n && truncated != null) truncated.inc();
            return fitted == n ? InsightNotification.newBuilder(n).build() : fitted;
        }
    }

    static final class Writer extends NotificationWriter<InsightNotification> {
        private final String topicArn;
        private final boolean fifo;
        private final SdkAsyncHttpClient http;
        private final SnsAsyncClient client;

        Writer(SnsSink sink, Sink.InitContext context, Collection<BufferedRequestState<InsightNotification>> states) {
            super(sink.getElementConverter(), context, sink.writerConfiguration(), states, sink.settings, "sns");
            this.topicArn = sink.topicArn;
            this.fifo = isFifo(topicArn);
            this.http = AwsClients.httpClient(settings, sink.getMaxInFlightRequests() * 2);
            this.client = AwsClients.build(SnsAsyncClient.builder(), settings, settings.snsEndpoint, http);
        }

        @Override
        protected String name() {
            return "SNS sink (" + topicArn + ")";
        }

        @Override
        protected void submitRequestEntries(List<InsightNotification> entries, ResultHandler<InsightNotification> handler) {
            List<PublishBatchRequestEntry> batch = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) batch.add(entry(String.valueOf(i), entries.get(i)));
            client.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(batch)).whenComplete((response, error) -> {
                try {
                    if (error != null) failedRequest(handler, entries, error, "SNS topic " + topicArn, "notify.sns.topic-arns",
                            "SNS refused a PublishBatch request of " + entries.size()
                            + " notification(s) as invalid; Augur builds these requests within SNS's limits, so report this with the error below");
                    else completed(entries, handler, response);
                } catch (RuntimeException e) {
                    handler.completeExceptionally(e);
                }
            });
        }

        private PublishBatchRequestEntry entry(String id, InsightNotification n) {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            NotificationPayloads.snsAttributes(n).forEach((k, v) -> attributes.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
            PublishBatchRequestEntry.Builder b = PublishBatchRequestEntry.builder().id(id).message(n.getBody()).messageAttributes(attributes);
            if (fifo) b.messageGroupId(FifoIds.of(n.getInsightId())).messageDeduplicationId(FifoIds.of(n.getId()));
            return b.build();
        }

        private void completed(List<InsightNotification> entries, ResultHandler<InsightNotification> handler, PublishBatchResponse response) {
            if (!response.hasFailed() || response.failed().isEmpty()) {
                succeeded(entries.size());
                handler.complete();
                return;
            }
            List<Integer> retry = new ArrayList<>();
            String lastError = null;
            for (BatchResultErrorEntry f : response.failed()) {
                int index = Integer.parseInt(f.id());
                InsightNotification n = entries.get(index);
                boolean senderFault = Boolean.TRUE.equals(f.senderFault());
                AwsErrors.Decision d = AwsErrors.classify(f.code(), senderFault ? 400 : 500, "SNS topic " + topicArn, "notify.sns.topic-arns");
                String why = f.code() + ": " + f.message();
                switch (d.action()) {
                    case RETRY:
                        retry.add(index);
                        lastError = why;
                        break;
                    case FATAL:
                        fatal(handler, d, new IllegalStateException(why));
                        return;
                    default:
                        reject(n.getId(), why);
                }
            }
            succeeded(entries.size() - response.failed().size());
            if (retry.isEmpty()) {
                handler.complete();
            } else {
                retry.sort(Comparator.naturalOrder());
                List<InsightNotification> again = new ArrayList<>();
                for (int i : retry) again.add(entries.get(i));
                retryLater(handler, again, lastError);
            }
        }

        @Override
        protected long getSizeInBytes(InsightNotification n) {
            return NotificationPayloads.snsBytes(n);
        }

        @Override
        public void close() {
            super.close();
            client.close();
            http.close();
        }
    }
}
