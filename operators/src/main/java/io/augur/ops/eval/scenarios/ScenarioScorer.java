package io.augur.ops.eval.scenarios;

import io.augur.ops.eval.scenarios.GroundTruth.Incident;
import io.augur.ops.eval.scenarios.InsightHistory.Insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores insights against a simulator's ground truth. The matching rules (also in the README, "Evaluating insights"):
 * <ol>
 *   <li>An insight <em>matches</em> an incident when at least one of its anomalies is on a resource the incident affects
 *       (its primary or affected resources) and the insight starts within the incident's window: from
 *       {@value #BEFORE_MIN} minutes before onset to {@value #AFTER_MIN} minutes after its end. A proactive insight
 *       matches a proactive incident only through an anomaly on the metric heading for the incident's limit (a memory
 *       leak and a disk fill of one database are two problems).</li>
 *   <li>An incident is <em>detected</em> when a matching insight has the expected type (reactive or proactive).
 *       Recall = detected / incidents.</li>
 *   <li>An insight that matches no incident, of either type, is <em>false</em>; false insights per 1,000 resource-days =
 *       false / (resources × days) × 1,000. A reactive insight matching a proactive incident is not false, and it does
 *       not count towards grouping or time to detect; it matches one on an affected resource from
 *       {@value #IMPACT_BEFORE_EXHAUSTION_MIN} minutes before exhaustion, and before that only through an anomaly on
 *       what the trend itself moves (the incident's trend signals: the trending resource's limit metric; a slowing
 *       function's duration and its load balancer's response time) or on the trending resource's throttles (a trend
 *       taking days does not explain everything on its application all along).</li>
 *   <li>Time to detect (reactive incidents detected): the earliest NEW_INSIGHT time of a matching reactive insight minus
 *       onset, in minutes and in datapoints (periods). Median of an even count = mean of the middle two; p90 = the
 *       nearest-rank value (the ⌈0.9·n⌉-th smallest).</li>
 *   <li>Cause linked: of the incidents that have a causing change event, the share with that event's id among the
 *       related events of a matching insight (any lifecycle event of it). Undetected incidents count as not linked.</li>
 *   <li>Proactive lead time (proactive incidents detected): exhaustion minus the earliest time a matching proactive
 *       insight announced an anomaly on the incident's limit metric (its NEW_INSIGHT, or the NEW_ASSOCIATION that added
 *       the anomaly to an insight opened earlier for something else), in hours; with the share of those warned at least
 *       24 hours ahead.</li>
 *   <li>Grouping: of the detected incidents, the share with exactly one matching insight of the expected type that
 *       matches no other incident of that type (one insight per incident, and one incident per insight), and the mean
 *       number of such insights.</li>
 * </ol>
 */
public final class ScenarioScorer {
    public static final long BEFORE_MIN = 10;
    public static final long AFTER_MIN = 30;
    /** A reactive insight on a proactive incident's affected resources belongs to it from this long before exhaustion. */
    public static final long IMPACT_BEFORE_EXHAUSTION_MIN = 180;
    private static final long MIN = 60_000L;

    /** One incident's outcome. Null fields do not apply (not detected, no cause, not proactive). */
    public record IncidentResult(String id, String kind, boolean detected, int insights, Double detectMinutes, Boolean causeLinked,
                                 Double leadHours) {}

    /** The scores. Null statistics have no values to be computed from. */
    public record Score(int incidents, int detected, double recall, int insights, int falseInsights, double resourceDays,
                        double falsePer1000ResourceDays, Double detectMedianMinutes, Double detectP90Minutes, double periodMinutes,
                        int incidentsWithCause, int causeLinked, Double causeLinkedShare, Double leadMedianHours, Double leadMinHours,
                        int proactiveDetected, int warned24h, int groupedOne, Double groupedShare, Double insightsPerDetected,
                        List<IncidentResult> perIncident, List<Insight> unexplained) {

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "incident recall        %d/%d = %.1f %%%n", detected, incidents, 100 * recall));
            sb.append(String.format(Locale.ROOT, "false insights         %d of %d insights; %.2f per 1,000 resource-days (%.1f resource-days)%n",
                    falseInsights, insights, falsePer1000ResourceDays, resourceDays));
            sb.append(String.format(Locale.ROOT, "time to detect         median %s, p90 %s%n", minutes(detectMedianMinutes), minutes(detectP90Minutes)));
            sb.append(String.format(Locale.ROOT, "cause linked           %d/%d%s%n", causeLinked, incidentsWithCause,
                    causeLinkedShare == null ? "" : String.format(Locale.ROOT, " = %.1f %%", 100 * causeLinkedShare)));
            sb.append(String.format(Locale.ROOT, "proactive lead time    median %s, min %s; %d/%d warned >= 24 h ahead%n",
                    hours(leadMedianHours), hours(leadMinHours), warned24h, proactiveDetected));
            sb.append(String.format(Locale.ROOT, "grouping               %d/%d detected incidents with exactly one insight%s%s%n", groupedOne, detected,
                    groupedShare == null ? "" : String.format(Locale.ROOT, " = %.1f %%", 100 * groupedShare),
                    insightsPerDetected == null ? "" : String.format(Locale.ROOT, "; %.2f insights per detected incident", insightsPerDetected)));
            sb.append(String.format("%-40s %-9s %-9s %-12s %-7s %s%n", "incident", "detected", "insights", "detect", "cause", "lead"));
            for (IncidentResult r : perIncident) {
                sb.append(String.format(Locale.ROOT, "%-40s %-9s %-9d %-12s %-7s %s%n", r.id(), r.detected() ? "yes" : "NO", r.insights(),
                        r.detectMinutes() == null ? "-" : minutes(r.detectMinutes()),
                        r.causeLinked() == null ? "-" : r.causeLinked() ? "linked" : "MISSED", r.leadHours() == null ? "-" : hours(r.leadHours())));
            }
            if (!unexplained.isEmpty()) {
                sb.append(String.format("false insights (matching no incident):%n"));
                for (Insight in : unexplained) {
                    sb.append(String.format(Locale.ROOT, "  %s %-9s %-14s from %s: %s%n", in.id(), in.proactive() ? "PROACTIVE" : "REACTIVE",
                            in.application(), java.time.Instant.ofEpochMilli(in.start()), String.join(", ", in.resourceMetrics())));
                }
            }
            return sb.toString();
        }

        private String minutes(Double m) {
            return m == null ? "-" : String.format(Locale.ROOT, "%.1f min (%.1f datapoints)", m, m / periodMinutes);
        }

        private static String hours(Double h) {
            return h == null ? "-" : String.format(Locale.ROOT, "%.1f h", h);
        }
    }

    private ScenarioScorer() {}

    static boolean matches(Insight in, Incident x) {
        if (in.start() < x.onset() - BEFORE_MIN * MIN || in.start() > x.end() + AFTER_MIN * MIN) return false;
        if (in.proactive() && x.proactive() && x.limitMetric() != null) {
            for (String r : x.resources()) if (in.resourceMetrics().contains(r + "|" + x.limitMetric())) return true;
            return false;
        }
        if (!in.proactive() && x.proactive() && x.exhaustion() != null) {
            // A trend that takes days gives no reactive symptoms until its limit is near: at exhaustion (from the
            // simulator's busy period before it) on any affected resource, before that only on what the trend itself
            // moves (its trend signals: the limit's metric; a slowing function's duration) or the trending resource's
            // throttles (a creep brushing its limit at an earlier daily peak).
            if (in.start() >= x.exhaustion() - IMPACT_BEFORE_EXHAUSTION_MIN * MIN) {
                for (String r : in.resources()) if (x.resources().contains(r)) return true;
            }
            String prefix = x.primaryResource() + "|";
            for (String rm : in.resourceMetrics()) {
                if (x.trendSignals().contains(rm)) return true;
                if (rm.startsWith(prefix) && rm.substring(prefix.length()).contains("Throttl")) return true;
            }
            return false;
        }
        for (String r : in.resources()) if (x.resources().contains(r)) return true;
        return false;
    }

    /** When the insight announced the incident: for a proactive one, the first announcement of its limit metric. */
    private static long announced(Insight in, Incident x) {
        if (!(in.proactive() && x.proactive() && x.limitMetric() != null)) return in.announced();
        long first = Long.MAX_VALUE;
        for (String r : x.resources()) {
            String rm = r + "|" + x.limitMetric();
            if (in.resourceMetrics().contains(rm)) first = Math.min(first, in.announcedFor(rm));
        }
        return first == Long.MAX_VALUE ? in.announced() : first;
    }

    public static Score score(GroundTruth truth, List<Insight> insights) {
        List<IncidentResult> rows = new ArrayList<>();
        List<Double> detect = new ArrayList<>(), lead = new ArrayList<>();
        boolean[] explained = new boolean[insights.size()];
        // how many incidents of its own type each insight matches: an insight holding two problems groups neither well
        int[] sameTypeMatches = new int[insights.size()];
        for (Incident x : truth.incidents()) {
            for (int i = 0; i < insights.size(); i++) {
                if (insights.get(i).proactive() == x.proactive() && matches(insights.get(i), x)) sameTypeMatches[i]++;
            }
        }
        int detected = 0, withCause = 0, linked = 0, proactiveDetected = 0, warned = 0, groupedOne = 0, groupedTotal = 0;
        for (Incident x : truth.incidents()) {
            List<Insight> expected = new ArrayList<>();
            boolean causeLinked = false, shared = false;
            for (int i = 0; i < insights.size(); i++) {
                Insight in = insights.get(i);
                if (!matches(in, x)) continue;
                explained[i] = true;
                if (in.proactive() == x.proactive()) {
                    expected.add(in);
                    shared |= sameTypeMatches[i] > 1;
                }
                if (x.causeEventId() != null && in.relatedEventIds().contains(x.causeEventId())) causeLinked = true;
            }
            boolean isDetected = !expected.isEmpty();
            Double detectMinutes = null, leadHours = null;
            if (isDetected) {
                detected++;
                groupedTotal += expected.size();
                if (expected.size() == 1 && !shared) groupedOne++;
                long first = Long.MAX_VALUE;
                for (Insight in : expected) first = Math.min(first, announced(in, x));
                if (x.proactive()) {
                    proactiveDetected++;
                    if (x.exhaustion() != null) {
                        leadHours = (x.exhaustion() - first) / 3_600_000.0;
                        lead.add(leadHours);
                        if (leadHours >= 24) warned++;
                    }
                } else {
                    detectMinutes = (first - x.onset()) / (double) MIN;
                    detect.add(detectMinutes);
                }
            }
            if (x.causeEventId() != null) {
                withCause++;
                if (causeLinked) linked++;
            }
            rows.add(new IncidentResult(x.id(), x.kind(), isDetected, expected.size(), detectMinutes,
                    x.causeEventId() == null ? null : causeLinked, leadHours));
        }
        List<Insight> unexplained = new ArrayList<>();
        for (int i = 0; i < insights.size(); i++) if (!explained[i]) unexplained.add(insights.get(i));
        int falseInsights = unexplained.size();
        int n = truth.incidents().size();
        double resourceDays = truth.resourceDays();
        return new Score(n, detected, n == 0 ? 1.0 : detected / (double) n, insights.size(), falseInsights, resourceDays,
                resourceDays == 0 ? 0 : falseInsights / resourceDays * 1000, median(detect), p90(detect), truth.periodSeconds() / 60.0,
                withCause, linked, withCause == 0 ? null : linked / (double) withCause, median(lead), lead.stream().min(Double::compare).orElse(null),
                proactiveDetected, warned, groupedOne, detected == 0 ? null : groupedOne / (double) detected,
                detected == 0 ? null : groupedTotal / (double) detected, rows, List.copyOf(unexplained));
    }

    static Double median(List<Double> xs) {
        if (xs.isEmpty()) return null;
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static Double p90(List<Double> xs) {
        if (xs.isEmpty()) return null;
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get((int) Math.ceil(0.9 * s.size()) - 1);
    }
}
