package io.augur.ops.anomaly;

import io.augur.schema.ForecastHistory;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stored form of a {@link ForecastHistory}: the same record with the newest datapoint of each open bucket
 * ({@code openLatest}) stored <b>thin</b> when its identity (series, account, region, namespace, metric, dimensions,
 * unit, resource, metric stream) equals that of {@code latest} (or, while {@code latest} is null, of
 * {@code openLatest[0]}, which then stays whole): only its timestamp, min, max, sum, count and percentiles, with the
 * identity fields empty and bit k of {@code openLatestThin} (v4) set. {@link #load} puts the identity back: every field
 * equal to the one stored (the thin datapoint is about 50 bytes instead of 250-400). Every other field is carried as it
 * is (copied field by field from the schema); state from before v4 ({@code openLatestThin} 0) is read as it is and
 * stored thin at its next write. Pure logic, no Flink.
 */
public final class StoredForecastHistory {
    private static final int OPEN_LATEST = ForecastHistory.getClassSchema().getField("openLatest").pos();
    private static final int THIN = ForecastHistory.getClassSchema().getField("openLatestThin").pos();
    private static final Resource NO_RESOURCE = new Resource("", "", "");

    private StoredForecastHistory() {}

    /** The stored form of {@code h} (shares every other field with it; {@code h} is not changed). */
    public static ForecastHistory stored(ForecastHistory h) {
        if (h == null) return null;
        List<MetricDatapoint> open = h.getOpenLatest();
        if (open == null || open.isEmpty() || h.getOpenLatestThin() != 0) return h;
        MetricDatapoint source = h.getLatest() != null ? h.getLatest() : open.get(0);
        long thin = 0;
        List<MetricDatapoint> out = new ArrayList<>(open.size());
        for (int k = 0; k < open.size(); k++) {
            MetricDatapoint d = open.get(k);
            if (k < 64 && d != null && d != source && sameIdentity(d, source)) {
                thin |= 1L << k;
                out.add(thin(d));
            } else {
                out.add(d);
            }
        }
        if (thin == 0) return h;
        ForecastHistory s = new ForecastHistory();
        for (Schema.Field f : ForecastHistory.getClassSchema().getFields()) s.put(f.pos(), h.get(f.pos()));
        s.put(OPEN_LATEST, out);
        s.put(THIN, thin);
        return s;
    }

    /** The history as the forecaster uses it, from a stored value (either form; null stays null). Updates {@code h} in place. */
    public static ForecastHistory load(ForecastHistory h) {
        if (h == null || h.getOpenLatestThin() == 0) return h;
        long thin = h.getOpenLatestThin();
        List<MetricDatapoint> open = new ArrayList<>(h.getOpenLatest());
        MetricDatapoint source = h.getLatest() != null ? h.getLatest() : open.get(0);
        for (int k = 0; k < open.size() && k < 64; k++) {
            if ((thin & (1L << k)) == 0) continue;
            MetricDatapoint d = open.get(k);
            open.set(k, MetricDatapoint.newBuilder(source).setTimestamp(d.getTimestamp()).setMin(d.getMin()).setMax(d.getMax())
                    .setSum(d.getSum()).setCount(d.getCount()).setPercentiles(d.getPercentiles()).build());
        }
        h.setOpenLatest(open);
        h.setOpenLatestThin(0L);
        return h;
    }

    /**
     * A copy of {@code d} that {@code h} may keep (the datapoint at hand may be a reused record, overwritten by the next
     * one): when its identity equals that of the history's identity source ({@code latest}, else {@code openLatest[0]},
     * itself a copy), the copy shares that source's identity fields (strings, dimensions, resource: never changed once
     * kept) and copies only the measures; otherwise a deep copy. Equal to {@code d} field by field either way.
     */
    public static MetricDatapoint retained(MetricDatapoint d, ForecastHistory h) {
        MetricDatapoint source = h.getLatest();
        if (source == null && h.getOpenLatest() != null && !h.getOpenLatest().isEmpty()) source = h.getOpenLatest().get(0);
        if (source == null || !sameIdentity(d, source)) return MetricDatapoint.newBuilder(d).build();
        Map<String, Double> percentiles = d.getPercentiles() == null ? null : new HashMap<>(d.getPercentiles());
        return new MetricDatapoint(source.getSeriesId(), source.getAccountId(), source.getRegion(), source.getNamespace(),
                source.getMetricName(), source.getDimensions(), d.getTimestamp(), d.getMin(), d.getMax(), d.getSum(), d.getCount(),
                percentiles, source.getUnit(), source.getResource(), source.getMetricStreamName());
    }

    private static boolean sameIdentity(MetricDatapoint a, MetricDatapoint b) {
        return Objects.equals(a.getSeriesId(), b.getSeriesId()) && Objects.equals(a.getAccountId(), b.getAccountId())
                && Objects.equals(a.getRegion(), b.getRegion()) && Objects.equals(a.getNamespace(), b.getNamespace())
                && Objects.equals(a.getMetricName(), b.getMetricName()) && Objects.equals(a.getDimensions(), b.getDimensions())
                && Objects.equals(a.getUnit(), b.getUnit()) && Objects.equals(a.getResource(), b.getResource())
                && Objects.equals(a.getMetricStreamName(), b.getMetricStreamName());
    }

    private static MetricDatapoint thin(MetricDatapoint d) {
        return MetricDatapoint.newBuilder().setSeriesId("").setAccountId("").setRegion("").setNamespace("").setMetricName("")
                .setDimensions(Map.of()).setTimestamp(d.getTimestamp()).setMin(d.getMin()).setMax(d.getMax()).setSum(d.getSum())
                .setCount(d.getCount()).setPercentiles(d.getPercentiles()).setUnit("").setResource(NO_RESOURCE).setMetricStreamName(null)
                .build();
    }
}
