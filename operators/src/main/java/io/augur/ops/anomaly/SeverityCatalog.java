package io.augur.ops.anomaly;

import io.augur.schema.Severity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The severity of a reactive anomaly by namespace and metric, from {@code /anomaly/severity.csv}: errors and throttles
 * above latency, latency above load and utilisation. Also says on which metrics one extreme datapoint is enough.
 */
public final class SeverityCatalog implements Serializable {
    public static final String RESOURCE = "/anomaly/severity.csv";

    /** One row: the first that matches a metric decides. */
    public record Rule(String namespace, String metric, Severity severity, boolean single) implements Serializable {}

    private final List<Rule> rules;
    private transient List<Pattern[]> patterns;

    private SeverityCatalog(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static SeverityCatalog builtIn() {
        List<Rule> rules = new ArrayList<>();
        for (String[] c : Catalogs.rows(RESOURCE, 4)) {
            rules.add(new Rule(c[0], c[1], Severity.valueOf(c[2]), Catalogs.yes(c[3])));
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
        return new Rule("*", "*", Severity.LOW, false);
    }
}
