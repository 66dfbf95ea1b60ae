package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.schema.EventClass;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a CloudTrail management call is a change, and of which {@link EventClass}. The decision is a data
 * table (see {@code cloudtrail-event-classes.csv} next to this class for its format): rows
 * {@code eventSource,eventNamePattern,eventClass}, first match wins, {@code NONE} = explicitly not a change, no match =
 * not a change. Two refinements that need the request live in code ({@link #classify(String, String, JsonNode)}):
 * <ul>
 *   <li>dynamodb UpdateTable that changes {@code attributeDefinitions} or global secondary indexes is SCHEMA_CHANGE;</li>
 *   <li>elasticbeanstalk UpdateEnvironment without a {@code versionLabel} changes settings, not code: CONFIG_CHANGE.</li>
 * </ul>
 * Also home of the read-only name heuristic ({@link #looksReadOnly(String)}). Immutable apart from an internal cache.
 */
public final class CloudTrailClassifier {
    public static final String DEFAULT_TABLE = "cloudtrail-event-classes.csv";
    /** The eventClass column value for "matched, and not a change". */
    public static final String NONE = "NONE";

    /** Names of calls that only read, whatever the service. A prefix must end the name or be followed by A-Z or 0-9. */
    private static final String[] READ_ONLY_PREFIXES = {
            "Get", "List", "Describe", "Head", "BatchGet", "Search", "Lookup", "Query", "Scan", "Select", "Check", "Test",
            "Preview", "Estimate", "Decrypt", "Encrypt", "ReEncrypt", "GenerateDataKey", "GenerateRandom", "AssumeRole",
            "Verify", "Validate", "Simulate"};

    /** One table row; {@code eventClass} is null for NONE rows. */
    public record Rule(String eventSource, String eventNamePattern, EventClass eventClass) {
        public boolean matches(String source, String name) {
            return glob(eventSource, source) && glob(eventNamePattern, name);
        }

        boolean isExact() {
            return eventSource.indexOf('*') < 0 && eventNamePattern.indexOf('*') < 0;
        }
    }

    private static final int MAX_CACHED_SOURCES = 1024;

    private final List<Rule> rules;
    /** Per eventSource, the rules that can match it, in table order (saves scanning other services' rows). */
    private final Map<String, List<Rule>> rulesBySource = new ConcurrentHashMap<>();

    public CloudTrailClassifier(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Reads a table in the CSV format; a malformed row fails with the line number. */
    public CloudTrailClassifier(InputStream csv) throws IOException {
        this(parse(csv));
    }

    /** The table shipped with Augur ({@value #DEFAULT_TABLE} on the class path next to this class). */
    public static CloudTrailClassifier loadDefault() {
        try (InputStream in = CloudTrailClassifier.class.getResourceAsStream(DEFAULT_TABLE)) {
            if (in == null) throw new IllegalStateException("class-path resource " + DEFAULT_TABLE + " is missing");
            return new CloudTrailClassifier(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_TABLE, e);
        }
    }

    public static List<Rule> parse(InputStream csv) throws IOException {
        List<Rule> rules = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] cols = t.split(",", -1);
            if (cols.length != 3) {
                throw new IllegalArgumentException("line " + lineNo + ": expected eventSource,eventNamePattern,eventClass but got '" + t + "'");
            }
            String source = cols[0].strip();
            String pattern = cols[1].strip();
            String cls = cols[2].strip();
            if (source.equals("eventSource") && pattern.equals("eventNamePattern")) continue; // optional header row
            if (source.isEmpty() || pattern.isEmpty()) {
                throw new IllegalArgumentException("line " + lineNo + ": empty eventSource or eventNamePattern");
            }
            EventClass eventClass;
            if (cls.equals(NONE)) {
                eventClass = null;
            } else {
                try {
                    eventClass = EventClass.valueOf(cls);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + lineNo + ": unknown eventClass '" + cls + "'");
                }
            }
            rules.add(new Rule(source, pattern, eventClass));
        }
        return rules;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The table's verdict alone: empty when the first matching row is NONE or no row matches. */
    public Optional<EventClass> classify(String eventSource, String eventName) {
        for (Rule rule : rulesFor(eventSource)) {
            if (glob(rule.eventNamePattern(), eventName)) return Optional.ofNullable(rule.eventClass());
        }
        return Optional.empty();
    }

    /** The table's verdict, refined by the request parameters (may be null) where the table cannot tell. */
    public Optional<EventClass> classify(String eventSource, String eventName, JsonNode requestParameters) {
        Optional<EventClass> base = classify(eventSource, eventName);
        if (base.isEmpty() || requestParameters == null || !requestParameters.isObject()) return base;
        if ("dynamodb.amazonaws.com".equals(eventSource) && "UpdateTable".equals(eventName)
                && (nonEmpty(requestParameters.get("attributeDefinitions")) || nonEmpty(requestParameters.get("globalSecondaryIndexUpdates")))) {
            return Optional.of(EventClass.SCHEMA_CHANGE);
        }
        if ("elasticbeanstalk.amazonaws.com".equals(eventSource) && "UpdateEnvironment".equals(eventName)
                && base.get() == EventClass.DEPLOYMENT && !nonEmpty(requestParameters.get("versionLabel"))) {
            return Optional.of(EventClass.CONFIG_CHANGE);
        }
        return base;
    }

    /**
     * Whether the table names this call exactly (no wildcard). Such a row overrides the read-only name heuristic:
     * elasticache TestFailover, for one, fails a node over although its name starts with "Test".
     */
    public boolean hasExactRule(String eventSource, String eventName) {
        for (Rule rule : rulesFor(eventSource)) {
            if (rule.isExact() && rule.eventNamePattern().equals(eventName)) return true;
        }
        return false;
    }

    /** Get…, List…, Describe…, Decrypt, AssumeRole… (see {@link #READ_ONLY_PREFIXES}): names of calls that only read. */
    public static boolean looksReadOnly(String eventName) {
        for (String p : READ_ONLY_PREFIXES) {
            if (eventName.startsWith(p)) {
                if (eventName.length() == p.length()) return true;
                char next = eventName.charAt(p.length());
                if ((next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9')) return true;
            }
        }
        return false;
    }

    private List<Rule> rulesFor(String eventSource) {
        List<Rule> cached = rulesBySource.get(eventSource);
        if (cached != null) return cached;
        List<Rule> list = new ArrayList<>();
        for (Rule rule : rules) {
            if (glob(rule.eventSource(), eventSource)) list.add(rule);
        }
        // Bounded: eventSource values come from input, and garbage must not grow the cache without limit.
        if (rulesBySource.size() < MAX_CACHED_SOURCES) rulesBySource.put(eventSource, list);
        return list;
    }

    private static boolean nonEmpty(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return false;
        if (n.isContainerNode()) return n.size() > 0;
        return !n.asText().isEmpty();
    }

    /** Case-sensitive glob where {@code *} matches any run of characters (including none); no other metacharacters. */
    static boolean glob(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return "CloudTrailClassifier[" + rules.size() + " rules]";
    }

}
