package io.augur.ops.insight;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import io.augur.schema.ClosedInsight;
import io.augur.schema.EventClass;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightState;
import io.augur.schema.OpenInsight;
import io.augur.schema.Severity;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Insight correlation for one application, as pure logic over its {@link InsightState}: anomaly revisions and change
 * events go in, DevOps Guru lifecycle events come out.
 * <ul>
 *   <li>A reactive anomaly opens a reactive insight when none is open for the application; while one is open, every
 *       new reactive anomaly joins it (NEW_ASSOCIATION). A proactive anomaly joins an open proactive insight of the
 *       application that has an anomaly on the same resource and metric (the same limit), else it opens its own:
 *       forecasts stay open for days, so overlapping in time says nothing about a common cause, and each limit heading
 *       for exhaustion is its own problem with its own recommendation. A CLOSED revision never opens an insight.</li>
 *   <li>The earliest anomaly is CAUSAL, the others CONTEXTUAL; starts in the same minute are ordered upstream first
 *       (data stores, then queues, then compute, then load balancers and APIs).</li>
 *   <li>The insight's severity is its worst anomaly's (SEVERITY_UPGRADED when it rises), except for a repeat of the same
 *       problem: an insight whose first anomaly is on the resource and metric of the CAUSAL anomaly of an insight of the
 *       same kind closed within the repeat window, unless it names a likely cause (change event) that the earlier one
 *       did not: that is LOW, named "Repeated Insight". A later change event naming a new cause lifts the downgrade.</li>
 *   <li>Change events on the application within the look-back before onset are related events; the latest deployment or
 *       configuration change within the cause window is named as the likely cause in the description and in the
 *       recommendations (NEW_RECOMMENDATION when a rule newly applies).</li>
 *   <li>When all its anomalies have closed, the insight closes after the close grace (CLOSED_INSIGHT) unless another
 *       anomaly joins meanwhile; an ongoing anomaly silent for the anomaly timeout (proactive: at least 7 days) counts
 *       as closed. An anomaly reported after that (its input ran ahead of the watermark that fires the close) closes the
 *       insight first and opens a new one.</li>
 * </ul>
 * Ids are deterministic: insight ids are name-based UUIDs of the application and the first anomaly; lifecycle event ids
 * are {@code insightId:MESSAGE_TYPE:sequence}.
 */
public final class InsightCorrelator implements Serializable {
    private static final long MINUTE = 60_000L;
    static final long PROACTIVE_TIMEOUT = 7 * 24 * 60 * MINUTE;
    private static final Set<EventClass> CAUSE_CLASSES = Set.of(EventClass.DEPLOYMENT, EventClass.CONFIG_CHANGE, EventClass.SCHEMA_CHANGE);

    private final InsightSettings settings;
    private final RecommendationCatalog catalog;

    public InsightCorrelator(InsightSettings settings, RecommendationCatalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    public InsightSettings settings() {
        return settings;
    }

    /** The correlation key: account, region and application. */
    public static String key(InsightInput in) {
        return in.getAccountId() + "|" + in.getRegion() + "|" + in.getApplication();
    }

    public static InsightState newState(InsightInput in) {
        return InsightState.newBuilder().setApplication(in.getApplication()).setAccountId(in.getAccountId()).setRegion(in.getRegion())
                .setStackNames(new ArrayList<>()).setTagKey(in.getTagKey()).setInsights(new ArrayList<>()).setRecentEvents(new ArrayList<>())
                .setHistory(new ArrayList<>()).setNextTimer(null).build();
    }

    /** Nothing open, no events kept, no history: the key's state can go. */
    public static boolean isEmpty(InsightState st) {
        return st.getInsights().isEmpty() && st.getRecentEvents().isEmpty() && st.getHistory().isEmpty();
    }

    // ---- inputs -----------------------------------------------------------------------------------------------------

    /** One input, anomaly or change event; {@code now} is the event time reached (at least the input's own time). */
    public List<InsightNotification> process(InsightState st, InsightInput in, long now) {
        mutable(st);
        remember(st, in);
        if (in.getAnomaly() != null) return onAnomaly(st, strip(in.getAnomaly()));
        if (in.getEvent() != null) return onEvent(st, in.getEvent(), now);
        return List.of();
    }

    private List<InsightNotification> onAnomaly(InsightState st, Anomaly a) {
        List<InsightNotification> out = new ArrayList<>();
        OpenInsight oi = open(st, a);
        if (oi != null && indexOf(oi, a.getId()) < 0 && closeIfDue(st, oi, a.getUpdateTime(), out)) {
            // The anomaly is reported after the insight was due to close (inputs can run ahead of the watermark that
            // fires the close timer): in event time the insight closed first, so the anomaly cannot join it.
            oi = null;
        }
        if (oi == null) {
            if (a.getStatus() == AnomalyStatus.CLOSED) return out; // closes an anomaly of an insight gone already
            oi = create(st, a);
            if (loadOnly(oi)) {
                oi.setHeld(true); // more load and nothing wrong: no insight (yet)
                return out;
            }
            announce(st, oi, a.getUpdateTime(), out);
            return out;
        }
        Severity before = oi.getSeverity();
        int idx = indexOf(oi, a.getId());
        if (idx >= 0) {
            if (a.getRevision() < oi.getAnomalies().get(idx).getRevision()) return out; // an older revision, late
            oi.getAnomalies().set(idx, a);
        } else {
            if (oi.getAnomalies().size() >= settings.maxAnomalies()) return out;
            oi.getAnomalies().add(a);
            oi.setStartTime(Math.min(oi.getStartTime(), a.getStartTime()));
            relate(st, oi);
        }
        oi.setLastUpdate(Math.max(oi.getLastUpdate(), a.getUpdateTime()));
        oi.setAllClosedAt(allClosedAt(oi));
        oi.setSeverity(severity(oi));
        describe(st, oi);
        long t = Math.max(a.getUpdateTime(), oi.getOpenTime());
        if (oi.getHeld()) {
            if (loadOnly(oi)) return out;
            // a symptom joined the load rise: the insight is announced now, with everything it holds
            oi.setHeld(false);
            oi.setOpenTime(t);
            announce(st, oi, t, out);
            return out;
        }
        if (idx < 0) out.add(emit(st, oi, InsightMessageType.NEW_ASSOCIATION, t, List.of(a), List.of(), null));
        if (oi.getSeverity().ordinal() > before.ordinal()) out.add(emit(st, oi, InsightMessageType.SEVERITY_UPGRADED, t, List.of(), List.of(), null));
        recommend(st, oi, t, out);
        return out;
    }

    private List<InsightNotification> onEvent(InsightState st, ChangeEvent e, long now) {
        List<InsightNotification> out = new ArrayList<>();
        List<ChangeEvent> recent = st.getRecentEvents();
        for (ChangeEvent x : recent) if (x.getId().equals(e.getId())) return out; // the same event via another resource
        recent.add(e);
        recent.sort(EVENT_ORDER);
        while (recent.size() > settings.maxRecentEvents()) recent.remove(0);
        for (OpenInsight oi : st.getInsights()) {
            if (!inWindow(oi, e, settings.lookback().toMillis())) continue;
            String cause = oi.getCauseEventId();
            relate(st, oi);
            if (oi.getHeld()) {
                describe(st, oi);
                continue;
            }
            boolean newCause = !java.util.Objects.equals(cause, oi.getCauseEventId());
            long t = Math.max(now, oi.getLastUpdate());
            if (newCause && oi.getRepeated() && !isRepeat(st, first(oi), oi.getCauseEventId())) {
                // a cause named late (CloudTrail is minutes behind) makes it a new problem, not a repeat
                Severity before = oi.getSeverity();
                oi.setRepeated(false);
                oi.setSeverity(severity(oi));
                oi.setName(InsightText.insightName(oi.getKind(), first(oi), st.getApplication(), false));
                describe(st, oi);
                if (oi.getSeverity().ordinal() > before.ordinal()) out.add(emit(st, oi, InsightMessageType.SEVERITY_UPGRADED, t, List.of(), List.of(), null));
            }
            describe(st, oi);
            if (newCause) recommend(st, oi, t, out);
        }
        return out;
    }

    // ---- time -------------------------------------------------------------------------------------------------------

    /**
     * Event time reached {@code now}: insights whose close grace has passed close, insights whose anomalies went silent
     * time out, old events and history are dropped. At the end of a bounded input ({@code endOfInput}) pending closes
     * happen, but ongoing insights stay open (nothing more will come to close them or to prove them stale).
     */
    public List<InsightNotification> advance(InsightState st, long now, boolean endOfInput) {
        mutable(st);
        List<InsightNotification> out = new ArrayList<>();
        for (OpenInsight oi : new ArrayList<>(st.getInsights())) {
            if (endOfInput) {
                if (oi.getAllClosedAt() != null) close(st, oi, oi.getAllClosedAt() + settings.closeGrace().toMillis(), out);
            } else {
                closeIfDue(st, oi, now, out);
            }
        }
        long retention = settings.eventRetention().toMillis();
        st.getRecentEvents().removeIf(e -> e.getTime() + retention <= now);
        long repeat = settings.repeatWindow().toMillis();
        st.getHistory().removeIf(h -> h.getClosedAt() + repeat <= now);
        return out;
    }

    /** When {@link #advance} has something to do next, or null. */
    public Long nextWakeUp(InsightState st) {
        long next = Long.MAX_VALUE;
        for (OpenInsight oi : st.getInsights()) {
            next = Math.min(next, oi.getAllClosedAt() != null ? oi.getAllClosedAt() + settings.closeGrace().toMillis()
                    : oi.getLastUpdate() + timeout(oi));
        }
        for (ChangeEvent e : st.getRecentEvents()) next = Math.min(next, e.getTime() + settings.eventRetention().toMillis());
        for (ClosedInsight h : st.getHistory()) next = Math.min(next, h.getClosedAt() + settings.repeatWindow().toMillis());
        return next == Long.MAX_VALUE ? null : next;
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------------

    private OpenInsight create(InsightState st, Anomaly a) {
        String id = UUID.nameUUIDFromBytes(String.join("|", "augur-insight", st.getAccountId(), st.getRegion(), st.getApplication(),
                a.getKind().name(), a.getId()).getBytes(StandardCharsets.UTF_8)).toString();
        List<Anomaly> anomalies = new ArrayList<>();
        anomalies.add(a);
        OpenInsight oi = OpenInsight.newBuilder().setId(id).setKind(a.getKind()).setSeverity(Severity.LOW).setRepeated(false)
                .setSequence(-1).setStartTime(a.getStartTime()).setOpenTime(a.getUpdateTime()).setName("").setDescription("")
                .setAnomalies(anomalies).setRelatedEvents(new ArrayList<>()).setCauseEventId(null).setRecommendations(new ArrayList<>())
                .setAllClosedAt(null).setLastUpdate(a.getUpdateTime()).build();
        relate(st, oi);
        boolean repeated = isRepeat(st, a, oi.getCauseEventId());
        oi.setRepeated(repeated);
        oi.setSeverity(severity(oi));
        oi.setAllClosedAt(allClosedAt(oi));
        oi.setName(InsightText.insightName(a.getKind(), a, st.getApplication(), repeated));
        describe(st, oi);
        st.getInsights().add(oi);
        return oi;
    }

    /**
     * Closes the insight if it is due by event time {@code now}: all its anomalies closed at least the close grace ago,
     * or none updated for the anomaly timeout (the silent ones count as closed). True when it closed.
     */
    private boolean closeIfDue(InsightState st, OpenInsight oi, long now, List<InsightNotification> out) {
        Long closedAt = oi.getAllClosedAt();
        if (closedAt != null) {
            long due = closedAt + settings.closeGrace().toMillis();
            if (now < due) return false;
            close(st, oi, due, out);
            return true;
        }
        long due = oi.getLastUpdate() + timeout(oi);
        if (now < due) return false;
        for (Anomaly a : oi.getAnomalies()) {
            if (a.getStatus() == AnomalyStatus.CLOSED) continue;
            a.setStatus(AnomalyStatus.CLOSED);
            if (a.getEndTime() == null) a.setEndTime(a.getUpdateTime());
            a.setCloseTime(due);
        }
        close(st, oi, due, out);
        return true;
    }

    /**
     * How long an insight's ongoing anomalies may go without a revision before they count as closed. Proactive anomalies
     * are revised only when their forecast moves and stay open for days (their lifecycle closes them itself when the
     * forecasts stop): for them the timeout is at least {@link #PROACTIVE_TIMEOUT}, the default forecast horizon.
     */
    private long timeout(OpenInsight oi) {
        long t = settings.anomalyTimeout().toMillis();
        return oi.getKind() == AnomalyKind.PROACTIVE ? Math.max(t, PROACTIVE_TIMEOUT) : t;
    }

    /** NEW_INSIGHT with every anomaly the insight holds, and its first recommendations. */
    private void announce(InsightState st, OpenInsight oi, long time, List<InsightNotification> out) {
        out.add(emit(st, oi, InsightMessageType.NEW_INSIGHT, time, oi.getAnomalies(), List.of(), null));
        recommend(st, oi, time, out);
    }

    private void close(InsightState st, OpenInsight oi, long time, List<InsightNotification> out) {
        if (oi.getHeld()) {
            st.getInsights().remove(oi); // never announced: nothing to close, no repeat to remember
            return;
        }
        long end = oi.getStartTime();
        for (Anomaly a : oi.getAnomalies()) {
            end = Math.max(end, a.getEndTime() != null ? a.getEndTime() : a.getCloseTime() != null ? a.getCloseTime() : a.getUpdateTime());
        }
        out.add(emit(st, oi, InsightMessageType.CLOSED_INSIGHT, time, oi.getAnomalies(), List.of(), end));
        st.getInsights().remove(oi);
        Anomaly causal = causal(oi);
        st.getHistory().add(ClosedInsight.newBuilder().setKind(oi.getKind()).setSignature(new ArrayList<>(signature(oi.getAnomalies())))
                .setClosedAt(time).setCausalSignature(causal.getResource().getArn() + "|" + causal.getMetricName())
                .setCauseEventId(oi.getCauseEventId()).build());
    }

    private void recommend(InsightState st, OpenInsight oi, long time, List<InsightNotification> out) {
        List<Recommendation> fresh = new ArrayList<>();
        for (Recommendation r : catalog.match(oi.getAnomalies(), causalId(oi), cause(oi), st.getApplication())) {
            if (!oi.getRecommendations().contains(r.ruleId())) fresh.add(r);
        }
        if (fresh.isEmpty()) return;
        for (Recommendation r : fresh) oi.getRecommendations().add(r.ruleId());
        out.add(emit(st, oi, InsightMessageType.NEW_RECOMMENDATION, time, List.of(), fresh, null));
    }

    private InsightNotification emit(InsightState st, OpenInsight oi, InsightMessageType type, long time, List<Anomaly> anomalies,
                                     List<Recommendation> recs, Long endTime) {
        oi.setSequence(oi.getSequence() + 1);
        String body = InsightBody.render(new InsightBody.View(st.getAccountId(), st.getRegion(), type, oi.getId(), oi.getName(), url(st, oi),
                oi.getKind(), oi.getDescription(), oi.getSeverity(), oi.getStartTime(), endTime, anomalies, causalId(oi), recs,
                st.getStackNames(), st.getTagKey(), st.getApplication(), oi.getRelatedEvents()));
        return InsightNotification.newBuilder().setId(oi.getId() + ":" + type.name() + ":" + oi.getSequence()).setInsightId(oi.getId())
                .setMessageType(type).setSequence(oi.getSequence()).setSeverity(oi.getSeverity()).setInsightType(oi.getKind())
                .setInsightName(oi.getName()).setAccountId(st.getAccountId()).setRegion(st.getRegion()).setApplication(st.getApplication())
                .setTime(time).setBody(body).build();
    }

    private String url(InsightState st, OpenInsight oi) {
        return settings.urlTemplate().replace("{region}", st.getRegion())
                .replace("{type}", oi.getKind() == AnomalyKind.REACTIVE ? "reactive" : "proactive").replace("{id}", oi.getId());
    }

    // ---- rules ------------------------------------------------------------------------------------------------------

    /**
     * A reactive insight whose anomalies are all rises of LOW-severity metrics (the severity catalog's load and
     * utilisation: requests, invocations, consumed capacity, connections, CPU): more work, and nothing wrong with it. Not
     * an insight until a symptom (latency, errors, throttles, backlog, or a drop) joins.
     */
    static boolean loadOnly(OpenInsight oi) {
        if (oi.getKind() != AnomalyKind.REACTIVE) return false;
        for (Anomaly a : oi.getAnomalies()) if (a.getSeverity() != Severity.LOW || a.getDirection() <= 0) return false;
        return true;
    }

    private Severity severity(OpenInsight oi) {
        if (oi.getRepeated()) return Severity.LOW;
        Severity worst = Severity.LOW;
        for (Anomaly a : oi.getAnomalies()) if (a.getSeverity().ordinal() > worst.ordinal()) worst = a.getSeverity();
        return worst;
    }

    private static Long allClosedAt(OpenInsight oi) {
        long last = Long.MIN_VALUE;
        for (Anomaly a : oi.getAnomalies()) {
            if (a.getStatus() != AnomalyStatus.CLOSED) return null;
            last = Math.max(last, a.getCloseTime() != null ? a.getCloseTime() : a.getUpdateTime());
        }
        return last;
    }

    /**
     * A repeat of the same problem: an insight of the same kind closed within the repeat window whose CAUSAL anomaly was
     * on this anomaly's resource and metric (v1 state without it: any of its anomalies), unless this insight names a
     * likely cause the earlier one did not (a new deployment or configuration change is a new problem).
     */
    private boolean isRepeat(InsightState st, Anomaly a, String causeEventId) {
        String sig = a.getResource().getArn() + "|" + a.getMetricName();
        for (ClosedInsight h : st.getHistory()) {
            if (h.getKind() != a.getKind() || h.getClosedAt() + settings.repeatWindow().toMillis() <= a.getStartTime()) continue;
            boolean sameProblem = h.getCausalSignature() != null ? h.getCausalSignature().equals(sig) : h.getSignature().contains(sig);
            boolean newCause = causeEventId != null && !causeEventId.equals(h.getCauseEventId());
            if (sameProblem && !newCause) return true;
        }
        return false;
    }

    private static Set<String> signature(List<Anomaly> anomalies) {
        Set<String> s = new LinkedHashSet<>();
        for (Anomaly a : anomalies) s.add(a.getResource().getArn() + "|" + a.getMetricName());
        return s;
    }

    /**
     * The CAUSAL anomaly (reactive insights): of the anomalies that started within a minute of the earliest start, the
     * furthest upstream, then the earliest, then by id.
     */
    public static String causalId(OpenInsight oi) {
        if (oi.getKind() != AnomalyKind.REACTIVE || oi.getAnomalies().isEmpty()) return null;
        long earliest = Long.MAX_VALUE;
        for (Anomaly a : oi.getAnomalies()) earliest = Math.min(earliest, a.getStartTime());
        long first = earliest;
        return oi.getAnomalies().stream().filter(a -> a.getStartTime() < first + MINUTE)
                .min(Comparator.<Anomaly>comparingInt(a -> tier(a.getResource().getType())).thenComparingLong(Anomaly::getStartTime)
                        .thenComparing(Anomaly::getId)).map(Anomaly::getId).orElse(null);
    }

    /** 0 data stores, 1 queues and streams, 2 compute and others, 3 load balancers and APIs: lower is further upstream. */
    static int tier(String type) {
        if (type.startsWith("AWS::RDS::") || type.startsWith("AWS::DynamoDB::") || type.startsWith("AWS::ElastiCache::")
                || type.startsWith("AWS::S3::") || type.startsWith("AWS::EC2::Volume")) return 0;
        if (type.startsWith("AWS::SQS::") || type.startsWith("AWS::Kinesis::") || type.startsWith("AWS::SNS::")) return 1;
        if (type.startsWith("AWS::ElasticLoadBalancing") || type.startsWith("AWS::ApiGateway")) return 3;
        return 2;
    }

    private static Anomaly causal(OpenInsight oi) {
        String id = causalId(oi);
        if (id == null) return oi.getAnomalies().stream().min(Comparator.comparingLong(Anomaly::getStartTime).thenComparing(Anomaly::getId)).orElseThrow();
        return oi.getAnomalies().get(indexOf(oi, id));
    }

    /** Related events: those within the look-back before onset (and the onset minute), the latest {@code maxRelatedEvents}. */
    private void relate(InsightState st, OpenInsight oi) {
        List<ChangeEvent> related = new ArrayList<>(oi.getRelatedEvents());
        Set<String> ids = new HashSet<>();
        for (ChangeEvent e : related) ids.add(e.getId());
        for (ChangeEvent e : st.getRecentEvents()) {
            if (!ids.contains(e.getId()) && inWindow(oi, e, settings.lookback().toMillis())) {
                related.add(e);
                ids.add(e.getId());
            }
        }
        related.removeIf(e -> !inWindow(oi, e, settings.lookback().toMillis()));
        related.sort(EVENT_ORDER);
        while (related.size() > settings.maxRelatedEvents()) related.remove(0);
        oi.setRelatedEvents(related);
        ChangeEvent cause = null;
        for (ChangeEvent e : related) {
            if (e.getErrorCode() == null && CAUSE_CLASSES.contains(e.getEventClass()) && inWindow(oi, e, settings.causeWindow().toMillis())) {
                cause = e; // sorted by time: the latest wins
            }
        }
        oi.setCauseEventId(cause == null ? null : cause.getId());
    }

    private static boolean inWindow(OpenInsight oi, ChangeEvent e, long before) {
        return e.getTime() >= oi.getStartTime() - before && e.getTime() < oi.getStartTime() + MINUTE;
    }

    private static ChangeEvent cause(OpenInsight oi) {
        if (oi.getCauseEventId() == null) return null;
        for (ChangeEvent e : oi.getRelatedEvents()) if (e.getId().equals(oi.getCauseEventId())) return e;
        return null;
    }

    private void describe(InsightState st, OpenInsight oi) {
        Set<String> resources = new HashSet<>();
        for (Anomaly a : oi.getAnomalies()) resources.add(a.getResource().getArn());
        oi.setDescription(InsightText.description(oi.getKind(), causal(oi), oi.getAnomalies().size(), resources.size(), st.getApplication(),
                cause(oi), oi.getStartTime(), oi.getRepeated()));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static final Comparator<ChangeEvent> EVENT_ORDER = Comparator.comparingLong(ChangeEvent::getTime).thenComparing(ChangeEvent::getId);

    /** State read back from Flink holds Avro arrays, which cannot remove through iterators: plain lists instead. */
    private static void mutable(InsightState st) {
        st.setStackNames(new ArrayList<>(st.getStackNames()));
        st.setInsights(new ArrayList<>(st.getInsights()));
        st.setRecentEvents(new ArrayList<>(st.getRecentEvents()));
        st.setHistory(new ArrayList<>(st.getHistory()));
        for (OpenInsight oi : st.getInsights()) {
            oi.setAnomalies(new ArrayList<>(oi.getAnomalies()));
            oi.setRelatedEvents(new ArrayList<>(oi.getRelatedEvents()));
            oi.setRecommendations(new ArrayList<>(oi.getRecommendations()));
        }
    }

    private static void remember(InsightState st, InsightInput in) {
        if (in.getStackName() != null && !st.getStackNames().contains(in.getStackName())) {
            st.getStackNames().add(in.getStackName());
            st.getStackNames().sort(null);
        }
        if (in.getTagKey() != null) st.setTagKey(in.getTagKey());
    }

    /** The open insight the anomaly belongs to: the reactive one; the proactive one of its resource and metric. */
    private static OpenInsight open(InsightState st, Anomaly a) {
        for (OpenInsight oi : st.getInsights()) {
            if (oi.getKind() != a.getKind()) continue;
            if (a.getKind() != AnomalyKind.PROACTIVE || indexOf(oi, a.getId()) >= 0) return oi;
            for (Anomaly x : oi.getAnomalies()) {
                if (x.getResource().getArn().equals(a.getResource().getArn()) && x.getMetricName().equals(a.getMetricName())) return oi;
            }
        }
        return null;
    }

    /** The anomaly that opened the insight (anomalies are kept in the order they joined). */
    private static Anomaly first(OpenInsight oi) {
        return oi.getAnomalies().get(0);
    }

    private static int indexOf(OpenInsight oi, String anomalyId) {
        List<Anomaly> as = oi.getAnomalies();
        for (int i = 0; i < as.size(); i++) if (as.get(i).getId().equals(anomalyId)) return i;
        return -1;
    }

    /** The revision as kept in state: without its datapoints (notifications do not carry them). */
    private static Anomaly strip(Anomaly a) {
        return Anomaly.newBuilder(a).setDatapoints(new ArrayList<>()).build();
    }
}
