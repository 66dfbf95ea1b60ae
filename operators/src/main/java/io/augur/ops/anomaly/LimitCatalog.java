package io.augur.ops.anomaly;

import io.augur.schema.Severity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits series head for: the known ceilings and floors in {@code /anomaly/limits.csv} (CPU at 100 %, free memory
 * and storage at 0, DynamoDB consumed capacity at the provisioned capacity, Lambda concurrency at the account limit,
 * SQS message age at the retention period), with values from configuration where the data cannot know them, and
 * per-series limits from configuration. A row can also name a metric of the same resource that reports the limit
 * ({@code metric:ProvisionedWriteCapacityUnits|setting:dynamodb-write-capacity}: DynamoDB publishes its provisioned
 * capacity next to the consumed capacity): once that metric has been seen, its newest value is the limit, and the
 * setting only applies before (see {@link #reportedLimitOf} and {@link #limitFor(String, String, Map, Double)}).
 *
 * <p>Per-series limits ({@code anomaly.limits}): entries separated by {@code ;}, each
 * {@code Namespace|MetricName[|Dim=Value,Dim=Value][|Stat][|rise|drop]=limit}. For a metric in the catalog the
 * statistic, direction and unit scale of its row apply unless given (DynamoDB capacity is in units per second, like the
 * provisioned capacity); other metrics need {@code rise} or {@code drop}. The entry with the most matching dimensions
 * wins over less specific ones and over the catalog.
 */
public final class LimitCatalog implements Serializable {
    public static final String RESOURCE = "/anomaly/limits.csv";
    /** Values of {@code setting:} limits when configuration gives none. */
    public static final Map<String, Double> DEFAULT_SETTINGS = Map.of(
            "lambda-concurrency", 1000.0,          // Lambda's default account concurrency limit
            "sqs-retention-seconds", 345_600.0,    // SQS's default message retention: 4 days
            "dynamodb-write-capacity", 40_000.0,   // DynamoDB's default per-table throughput quota (units per second)
            "dynamodb-read-capacity", 40_000.0);

    /** The limit of one series: which statistic meets it, from which side, and what it means. */
    public record Limit(String stat, boolean rising, double value, boolean seasonal, Severity severity, String description)
            implements Serializable {}

    private record Rule(String namespace, String metric, String stat, boolean rising, double value, boolean perSecond,
                        boolean seasonal, Severity severity, String description, String limitMetric) implements Serializable {}

    /**
     * A metric that reports another series' limit: the series it is the limit of (same namespace and dimensions) and
     * the statistic that series is scored with (its series key's suffix).
     */
    public record ReportedLimit(String metric, String stat) implements Serializable {}

    private record Override(String namespace, String metric, Map<String, String> dims, String stat, Boolean rising, double value)
            implements Serializable {}

    private final List<Rule> rules;
    private final List<Override> overrides;
    private final int periodSeconds;

    private LimitCatalog(List<Rule> rules, List<Override> overrides, int periodSeconds) {
        this.rules = List.copyOf(rules);
        this.overrides = List.copyOf(overrides);
        this.periodSeconds = periodSeconds;
    }

    /** The built-in catalog with default settings and no per-series limits. */
    public static LimitCatalog builtIn() {
        return of(Map.of(), "", 60);
    }

    /**
     * @param settings      values for {@code setting:} limits (missing ones take {@link #DEFAULT_SETTINGS})
     * @param overrides     per-series limits, see the class comment
     * @param periodSeconds seconds per datapoint (metric streams: 60), for per-second limits of Sum statistics
     */
    public static LimitCatalog of(Map<String, Double> settings, String overrides, int periodSeconds) {
        Map<String, Double> values = new TreeMap<>(DEFAULT_SETTINGS);
        values.putAll(settings);
        List<Rule> rules = new ArrayList<>();
        for (String[] c : Catalogs.rows(RESOURCE, 9)) {
            String cell = c[4];
            String limitMetric = null;
            if (cell.startsWith("metric:")) {
                int bar = cell.indexOf('|');
                if (bar < 0) throw new IllegalStateException(RESOURCE + ": " + cell + " needs a fallback: metric:<name>|<number or setting:name>");
                limitMetric = cell.substring(7, bar);
                cell = cell.substring(bar + 1);
            }
            double v;
            if (cell.startsWith("setting:")) {
                Double s = values.get(cell.substring(8));
                if (s == null) throw new IllegalStateException(RESOURCE + ": unknown setting " + cell);
                v = s;
            } else {
                v = Double.parseDouble(cell);
            }
            rules.add(new Rule(c[0], c[1], c[2], direction(c[3], RESOURCE), v, c[5].equals("period"), Catalogs.yes(c[6]),
                    Severity.valueOf(c[7]), c[8], limitMetric));
        }
        return new LimitCatalog(rules, parseOverrides(overrides), periodSeconds);
    }

    /** The limit of a series, or null when it has none. */
    public Limit limitFor(String namespace, String metric, Map<String, String> dims) {
        return limitFor(namespace, metric, dims, null);
    }

    /**
     * The series a metric reports the limit of (DynamoDB {@code ProvisionedWriteCapacityUnits}: the limit of
     * {@code ConsumedWriteCapacityUnits}, scored as its Sum), or null when it reports none.
     */
    public ReportedLimit reportedLimitOf(String namespace, String metric) {
        for (Rule r : rules) {
            if (r.limitMetric != null && r.namespace.equals(namespace) && r.limitMetric.equals(metric)) return new ReportedLimit(r.metric, r.stat);
        }
        return null;
    }

    /**
     * The limit of a series, or null when it has none.
     *
     * @param reported the newest value of the metric that reports this series' limit (its row's {@code metric:}), in
     *                 that metric's units (per second for capacity); null when none has been seen. A per-series limit
     *                 from configuration still wins; the catalog's value or setting applies only without one.
     */
    public Limit limitFor(String namespace, String metric, Map<String, String> dims, Double reported) {
        Rule rule = null;
        for (Rule r : rules) {
            if (r.namespace.equals(namespace) && r.metric.equals(metric)) {
                rule = r;
                break;
            }
        }
        Override best = null;
        for (Override o : overrides) {
            if (!o.namespace.equals(namespace) || !o.metric.equals(metric)) continue;
            boolean all = true;
            for (Map.Entry<String, String> d : o.dims.entrySet()) all &= d.getValue().equals(dims.get(d.getKey()));
            if (all && (best == null || o.dims.size() > best.dims.size())) best = o;
        }
        if (best != null) {
            boolean rising = best.rising != null ? best.rising : rule == null || rule.rising;
            String stat = best.stat != null ? best.stat : rule != null ? rule.stat : rising ? "Maximum" : "Minimum";
            double scale = rule != null && rule.perSecond && "Sum".equals(stat) ? periodSeconds : 1;
            return new Limit(stat, rising, best.value * scale, rule != null && rule.seasonal,
                    rule != null ? rule.severity : Severity.MEDIUM, rule != null ? rule.description : "configured limit");
        }
        if (rule == null) return null;
        double value = reported != null && rule.limitMetric != null && reported > 0 ? reported : rule.value;
        return new Limit(rule.stat, rule.rising, rule.perSecond ? value * periodSeconds : value, rule.seasonal,
                rule.severity, rule.description);
    }

    private static boolean direction(String s, String where) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "rise": return true;
            case "drop": return false;
            default: throw new IllegalArgumentException(where + ": direction '" + s + "' is not rise or drop");
        }
    }

    private static List<Override> parseOverrides(String spec) {
        List<Override> out = new ArrayList<>();
        if (spec == null) return out;
        for (String raw : spec.split("[;\\n]")) {
            String e = raw.strip();
            if (e.isEmpty()) continue;
            int eq = e.lastIndexOf('=');
            String[] parts = eq < 0 ? new String[0] : e.substring(0, eq).split("\\|");
            if (eq < 0 || parts.length < 2) {
                throw new IllegalArgumentException("limit '" + e + "' is not Namespace|MetricName[|Dim=Value,...][|Stat][|rise|drop]=limit");
            }
            double value;
            try {
                value = Double.parseDouble(e.substring(eq + 1).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("limit '" + e + "': '" + e.substring(eq + 1).strip() + "' is not a number");
            }
            Map<String, String> dims = new LinkedHashMap<>();
            String stat = null;
            Boolean rising = null;
            for (int i = 2; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.contains("=")) {
                    for (String kv : p.split(",")) {
                        int k = kv.indexOf('=');
                        if (k <= 0) throw new IllegalArgumentException("limit '" + e + "': dimension '" + kv + "' is not Name=Value");
                        dims.put(kv.substring(0, k).strip(), kv.substring(k + 1).strip());
                    }
                } else if (p.equalsIgnoreCase("rise") || p.equalsIgnoreCase("drop")) {
                    rising = p.equalsIgnoreCase("rise");
                } else if (!p.isEmpty()) {
                    stat = p;
                }
            }
            out.add(new Override(parts[0].strip(), parts[1].strip(), dims, stat, rising, value));
        }
        return out;
    }

    /** Checks that every per-series limit is usable: metrics outside the catalog must say rise or drop. */
    public void validate() {
        for (Override o : overrides) {
            boolean known = rules.stream().anyMatch(r -> r.namespace.equals(o.namespace) && r.metric.equals(o.metric));
            if (!known && o.rising == null) {
                throw new IllegalArgumentException("limit for " + o.namespace + "|" + o.metric
                        + ": the metric is not in the limits catalog, add |rise or |drop to say from which side it meets the limit");
            }
        }
    }
}
