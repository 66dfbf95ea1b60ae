package io.augur.ops.anomaly;

import io.augur.schema.Severity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The severity of a reactive anomaly by namespace and metric, from {@code /anomaly/severity.csv}: errors and throttles
 * above latency, latency above load and utilisation. Also says on which metrics a short burst (an extreme datapoint and the next) is enough.
 */
public final class SeverityCatalog implements Serializable {
    public static final String RESOURCE = "/anomaly/severity.csv";

    /**
     * One row: the first that matches a metric decides.
     *
     * @param single     an extreme datapoint and the next one, still deviating, are enough to open an anomaly
     * @param directions which deviations open an anomaly: +1 rises only, -1 drops only, 0 both, 2 none
     */
    public record Rule(String namespace, String metric, Severity severity, boolean single, int directions) implements Serializable {
        /** Whether a deviation in {@code direction} (+1, -1) opens anomalies on this metric. */
        public boolean accepts(int direction) {
            return directions == 0 || directions == direction;
        }
    }

    private final List<Rule> rules;
    private transient List<Pattern[]> patterns;

    private SeverityCatalog(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static SeverityCatalog builtIn() {
        List<Rule> rules = new ArrayList<>();
        for (String[] c : Catalogs.rows(RESOURCE, 5)) {
            int directions = switch (c[4]) {
                case "rise" -> 1;
                case "drop" -> -1;
                case "both" -> 0;
                case "none" -> 2; // configuration values such as provisioned capacity: never an anomaly by themselves
                default -> throw new IllegalStateException(RESOURCE + ": directions '" + c[4] + "' is not rise, drop, both or none");
            };
            rules.add(new Rule(c[0], c[1], Severity.valueOf(c[2]), Catalogs.yes(c[3]), directions));
        }
        return new SeverityCatalog(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The first rule matching the metric; the catalog ends with a catch-all row. */
    public Rule lookup(String namespace, String metric) {
        if (patterns == null) {
            List<Pattern[]> p = new ArrayList<>(rules.size());
            for (Rule r : rules) p.add(new Pattern[] {Catalogs.glob(r.namespace()), Catalogs.glob(r.metric())});
            patterns = p;
        }
        for (int i = 0; i < rules.size(); i++) {
            Pattern[] p = patterns.get(i);
            if (p[0].matcher(namespace).matches() && p[1].matcher(metric).matches()) return rules.get(i);
        }
        return new Rule("*", "*", Severity.LOW, false, 0);
    }
}
