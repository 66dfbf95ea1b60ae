package io.augur.job.sink.notify;

import io.augur.ops.notify.AwsErrors;
import io.augur.ops.notify.OpsItemChange;
import io.augur.ops.notify.OpsItemPlan;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.OpsItemRef;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.ssm.model.CreateOpsItemRequest;
import software.amazon.awssdk.services.ssm.model.OpsItemAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.OpsItemDataType;
import software.amazon.awssdk.services.ssm.model.OpsItemDataValue;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterKey;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterOperator;
import software.amazon.awssdk.services.ssm.model.OpsItemNotFoundException;
import software.amazon.awssdk.services.ssm.model.OpsItemStatus;
import software.amazon.awssdk.services.ssm.model.OpsItemSummary;
import software.amazon.awssdk.services.ssm.model.UpdateOpsItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One OpsCenter OpsItem per insight (Systems Manager CreateOpsItem / UpdateOpsItem / DescribeOpsItems):
 * NEW_INSIGHT creates it, NEW_ASSOCIATION / SEVERITY_UPGRADED / NEW_RECOMMENDATION update it, CLOSED_INSIGHT resolves
 * it (see {@link OpsItemPlan}).
 *
 * <p>Which OpsItem belongs to an insight is only known from CreateOpsItem's answer. The writer remembers
 * insight id → OpsItem id and checkpoints it with its buffer ({@link OpsItemRef}), so updates after a restart reach
 * the right item. When it does not know an insight (first event after a rescale moved the insight here, or the
 * reference was evicted), it looks the item up with DescribeOpsItems on the searchable {@code augur:insightId}
 * operational data; it does so before every creation too, so a replayed NEW_INSIGHT never makes a second item even
 * when the first is already resolved (OpsCenter's {@code /aws/dedup} only covers open items). The dedup key still
 * covers a creation retried because its answer was lost.
 *
 * <p>Order: the input is keyed by insight id, one request is in flight per subtask, and within a request the events
 * of one insight are applied one after the other (different insights in parallel). When an event must be retried,
 * it and the later events of its insight go back to the front of the buffer, so an update never overtakes its
 * creation.
 */
public final class OpsCenterSink extends NotificationSink<OpsCenterEntry> {
    private static final long serialVersionUID = 1L;
    /** CreateOpsItem's request is far below this; the bound only keeps batches of 10 in one request. */
    private static final long MAX_ENTRY_BYTES = 64 * 1024;

    OpsCenterSink(NotifySettings settings) {
        super(new Converter(), settings, NotifySettings.Sink.OPSCENTER, 1, MAX_ENTRY_BYTES * settings.maxBatchSize, MAX_ENTRY_BYTES);
    }

    @Override
    public Writer restoreWriter(Sink.InitContext context, Collection<BufferedRequestState<OpsCenterEntry>> states) {
        return new Writer(this, context, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<OpsCenterEntry>> getWriterStateSerializer() {
        return new OpsCenterStateSerializer();
    }

    static final class Converter implements ElementConverter<InsightNotification, OpsCenterEntry> {
        private static final long serialVersionUID = 1L;

        @Override
        public OpsCenterEntry apply(InsightNotification n, SinkWriter.Context context) {
            return OpsCenterEntry.of(InsightNotification.newBuilder(n).build());
        }
    }

    /** Insight id → OpsItem id, least recently used dropped first beyond the bound. Thread-safe. */
    static final class Refs {
        private final LinkedHashMap<String, OpsItemRef> byInsight;

        Refs(int max) {
            this.byInsight = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, OpsItemRef> eldest) {
                    return size() > max;
                }
            };
        }

        synchronized String get(String insightId) {
            OpsItemRef r = byInsight.get(insightId);
            return r == null ? null : r.getOpsItemId();
        }

        synchronized void put(String insightId, String opsItemId, long time) {
            byInsight.put(insightId, new OpsItemRef(insightId, opsItemId, time));
        }

        synchronized void forget(String insightId) {
            byInsight.remove(insightId);
        }

        synchronized List<OpsItemRef> all() {
            return new ArrayList<>(byInsight.values());
        }

        synchronized int size() {
            return byInsight.size();
        }
    }

    /** How applying one notification ended. */
    private enum Outcome { DONE, RETRY, FATAL }

    private record Step(Outcome outcome, AwsErrors.Decision decision, Throwable error) {
        static final Step DONE = new Step(Outcome.DONE, null, null);
    }

    static final class Writer extends NotificationWriter<OpsCenterEntry> {
        private static final Logger LOG = LoggerFactory.getLogger(OpsCenterSink.class);
        private static final String WHAT = "Systems Manager OpsCenter";
        private static final String SETTINGS = "notify.opscenter.* and notify.region";
        private final SdkAsyncHttpClient http;
        private final SsmAsyncClient client;
        final Refs refs;

        Writer(OpsCenterSink sink, Sink.InitContext context, Collection<BufferedRequestState<OpsCenterEntry>> states) {
            super(sink.getElementConverter(), context, sink.writerConfiguration(), notificationsOnly(states), sink.settings, "opscenter");
            this.refs = new Refs(settings.opsRememberedItems);
            for (BufferedRequestState<OpsCenterEntry> s : states) {
                for (RequestEntryWrapper<OpsCenterEntry> w : s.getBufferedRequestEntries()) {
                    OpsCenterEntry e = w.getRequestEntry();
                    if (e.isRef()) refs.put(e.ref().getInsightId(), e.ref().getOpsItemId(), e.ref().getTime());
                }
            }
            this.http = AwsClients.httpClient(settings, Math.max(2, sink.getMaxBatchSize()));
            this.client = AwsClients.build(SsmAsyncClient.builder(), settings, settings.opsEndpoint, http);
        }

        private static List<BufferedRequestState<OpsCenterEntry>> notificationsOnly(Collection<BufferedRequestState<OpsCenterEntry>> states) {
            List<BufferedRequestState<OpsCenterEntry>> out = new ArrayList<>();
            for (BufferedRequestState<OpsCenterEntry> s : states) {
                List<RequestEntryWrapper<OpsCenterEntry>> keep = new ArrayList<>();
                for (RequestEntryWrapper<OpsCenterEntry> w : s.getBufferedRequestEntries()) if (!w.getRequestEntry().isRef()) keep.add(w);
                out.add(new BufferedRequestState<>(keep));
            }
            return out;
        }

        /** The buffer, plus what the writer knows about insights' OpsItems. In-flight requests are complete here. */
        @Override
        public List<BufferedRequestState<OpsCenterEntry>> snapshotState(long checkpointId) {
            List<BufferedRequestState<OpsCenterEntry>> out = new ArrayList<>(super.snapshotState(checkpointId));
            List<RequestEntryWrapper<OpsCenterEntry>> known = new ArrayList<>();
            for (OpsItemRef r : refs.all()) known.add(new RequestEntryWrapper<>(OpsCenterEntry.of(r), 1));
            out.add(new BufferedRequestState<>(known));
            return out;
        }

        @Override
        protected String name() {
            return "OpsCenter sink";
        }

        @Override
        protected void submitRequestEntries(List<OpsCenterEntry> entries, ResultHandler<OpsCenterEntry> handler) {
            // Events of one insight in their order; different insights in parallel.
            Map<String, List<Integer>> byInsight = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                byInsight.computeIfAbsent(entries.get(i).notification().getInsightId(), k -> new ArrayList<>()).add(i);
            }
            List<CompletableFuture<List<Integer>>> chains = new ArrayList<>();
            Step[] failure = new Step[1];
            for (List<Integer> indexes : byInsight.values()) chains.add(chain(entries, indexes, 0, failure));
            CompletableFuture.allOf(chains.toArray(new CompletableFuture[0])).whenComplete((v, error) -> {
                if (error != null) {
                    handler.completeExceptionally(new NotificationSinkException(name() + ": unexpected failure", SdkFailures.unwrap(error)));
                    return;
                }
                synchronized (failure) {
                    if (failure[0] != null && failure[0].outcome() == Outcome.FATAL) {
                        fatal(handler, failure[0].decision(), failure[0].error());
                        return;
                    }
                }
                List<Integer> retry = new ArrayList<>();
                for (CompletableFuture<List<Integer>> c : chains) retry.addAll(c.join());
                if (retry.isEmpty()) {
                    handler.complete();
                } else {
                    retry.sort(Comparator.naturalOrder());
                    List<OpsCenterEntry> again = new ArrayList<>();
                    for (int i : retry) again.add(entries.get(i));
                    Step f;
                    synchronized (failure) {
                        f = failure[0];
                    }
                    retryLater(handler, again, f == null || f.error() == null ? "retryable error" : SdkFailures.describe(f.error()));
                }
            });
        }

        /** Applies entries[indexes[from..]] in order; completes with the indexes still to be retried. */
        private CompletableFuture<List<Integer>> chain(List<OpsCenterEntry> entries, List<Integer> indexes, int from, Step[] failure) {
            if (from == indexes.size()) return CompletableFuture.completedFuture(List.of());
            InsightNotification n = entries.get(indexes.get(from)).notification();
            return apply(n).thenCompose(step -> {
                switch (step.outcome()) {
                    case DONE:
                        succeeded(1);
                        return chain(entries, indexes, from + 1, failure);
                    case RETRY:
                        synchronized (failure) {
                            if (failure[0] == null) failure[0] = step;
                        }
                        return CompletableFuture.completedFuture(indexes.subList(from, indexes.size()));
                    default:
                        synchronized (failure) {
                            if (failure[0] == null || failure[0].outcome() != Outcome.FATAL) failure[0] = step;
                        }
                        return CompletableFuture.completedFuture(List.of());
                }
            });
        }

        private CompletableFuture<Step> apply(InsightNotification n) {
            OpsItemChange change;
            try {
                change = OpsItemPlan.change(n);
            } catch (RuntimeException e) {
                reject(n.getId(), "cannot build the OpsItem change: " + e);
                return CompletableFuture.completedFuture(Step.DONE);
            }
            String known = refs.get(n.getInsightId());
            if (change.create()) {
                if (known != null) return CompletableFuture.completedFuture(Step.DONE); // already created (a repeated NEW_INSIGHT)
                return lookup(n.getInsightId()).thenCompose(found -> {
                    if (found != null) {
                        refs.put(n.getInsightId(), found, n.getTime());
                        LOG.info("OpsItem {} already exists for insight {}: not created again", found, n.getInsightId());
                        return CompletableFuture.completedFuture(Step.DONE);
                    }
                    return create(n, change);
                }).exceptionally(e -> failed(n, e));
            }
            CompletableFuture<String> id = known != null ? CompletableFuture.completedFuture(known) : lookup(n.getInsightId());
            return id.thenCompose(opsItemId -> {
                if (opsItemId == null) {
                    reject(n.getId(), "no OpsItem exists for insight " + n.getInsightId() + " (its NEW_INSIGHT was never applied)");
                    return CompletableFuture.completedFuture(Step.DONE);
                }
                return update(n, change, opsItemId, known != null);
            }).exceptionally(e -> failed(n, e));
        }

        private CompletableFuture<Step> create(InsightNotification n, OpsItemChange c) {
            CreateOpsItemRequest.Builder r = CreateOpsItemRequest.builder()
                    .title(c.title()).description(c.description()).source(settings.opsSource).category(settings.opsCategory)
                    .severity(c.severity()).operationalData(data(c));
            if (c.actualStartTime() != null) r.actualStartTime(Instant.ofEpochMilli(c.actualStartTime()));
            return client.createOpsItem(r.build()).handle((resp, e) -> {
                if (e == null) {
                    refs.put(n.getInsightId(), resp.opsItemId(), n.getTime());
                    return Step.DONE;
                }
                if (SdkFailures.unwrap(e) instanceof OpsItemAlreadyExistsException exists && exists.opsItemId() != null) {
                    refs.put(n.getInsightId(), exists.opsItemId(), n.getTime());
                    return Step.DONE;
                }
                return failed(n, e);
            });
        }

        private CompletableFuture<Step> update(InsightNotification n, OpsItemChange c, String opsItemId, boolean fromMemory) {
            UpdateOpsItemRequest.Builder r = UpdateOpsItemRequest.builder().opsItemId(opsItemId).operationalData(data(c));
            if (c.description() != null) r.description(c.description());
            if (c.severity() != null) r.severity(c.severity());
            if (c.status() != null) r.status(OpsItemStatus.fromValue(c.status()));
            if (c.actualEndTime() != null) r.actualEndTime(Instant.ofEpochMilli(c.actualEndTime()));
            return client.updateOpsItem(r.build()).handle((resp, e) -> e).thenCompose(e -> {
                if (e == null) {
                    if (n.getMessageType() == InsightMessageType.CLOSED_INSIGHT) refs.forget(n.getInsightId());
                    else refs.put(n.getInsightId(), opsItemId, n.getTime());
                    return CompletableFuture.completedFuture(Step.DONE);
                }
                if (SdkFailures.unwrap(e) instanceof OpsItemNotFoundException && fromMemory) {
                    // The remembered item is gone (deleted by someone): look again once.
                    refs.forget(n.getInsightId());
                    return lookup(n.getInsightId()).thenCompose(found -> found == null
                            ? CompletableFuture.completedFuture(rejected(n, "its OpsItem " + opsItemId + " no longer exists"))
                            : update(n, c, found, false));
                }
                return CompletableFuture.completedFuture(failed(n, e));
            });
        }

        /** The insight's OpsItem: an open one if there is one, else the newest; null if none. */
        private CompletableFuture<String> lookup(String insightId) {
            return client.describeOpsItems(r -> r.maxResults(50).opsItemFilters(f -> f.key(OpsItemFilterKey.OPERATIONAL_DATA)
                    .operator(OpsItemFilterOperator.EQUAL).values(OpsItemPlan.insightIdFilter(insightId)))).thenApply(resp -> {
                        OpsItemSummary best = null;
                        for (OpsItemSummary s : resp.opsItemSummaries()) {
                            if (best == null || rank(s) > rank(best)) best = s;
                        }
                        return best == null ? null : best.opsItemId();
                    });
        }

        private static long rank(OpsItemSummary s) {
            boolean open = s.status() != OpsItemStatus.RESOLVED;
            long created = s.createdTime() == null ? 0 : s.createdTime().toEpochMilli() / 1000;
            return (open ? 1L << 40 : 0) + created;
        }

        private Step failed(InsightNotification n, Throwable e) {
            AwsErrors.Decision d = SdkFailures.classify(e, WHAT, SETTINGS);
            switch (d.action()) {
                case RETRY:
                    return new Step(Outcome.RETRY, d, e);
                case FATAL:
                    return new Step(Outcome.FATAL, d, e);
                default:
                    return rejected(n, SdkFailures.describe(e));
            }
        }

        private Step rejected(InsightNotification n, String why) {
            reject(n.getId(), why);
            return Step.DONE;
        }

        private static Map<String, OpsItemDataValue> data(OpsItemChange c) {
            Map<String, OpsItemDataValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : c.operationalData().entrySet()) {
                OpsItemDataType type = c.searchableKeys().contains(e.getKey()) ? OpsItemDataType.SEARCHABLE_STRING : OpsItemDataType.STRING;
                out.put(e.getKey(), OpsItemDataValue.builder().value(e.getValue()).type(type).build());
            }
            return out;
        }

        @Override
        protected long getSizeInBytes(OpsCenterEntry e) {
            // Description (at most 2,048 characters) and operational data (each value at most 20 KB) of one request.
            return Math.min(MAX_ENTRY_BYTES, 4096 + io.augur.ops.notify.JsonBudget.utf8Length(e.notification().getBody()));
        }

        @Override
        public void close() {
            super.close();
            client.close();
            http.close();
        }
    }
}
