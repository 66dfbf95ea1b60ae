package io.augur.ops.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A NAB application profile: the weights of a detection inside a window (A_TP), a detection outside all windows
 * (A_FP) and a missed window (A_FN).
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    public static final String STANDARD = "standard";
    public static final String REWARD_LOW_FP_RATE = "reward_low_FP_rate";
    public static final String REWARD_LOW_FN_RATE = "reward_low_FN_rate";

    public NabProfile {
        if (!(tpWeight > 0) || !(fpWeight >= 0) || !(fnWeight >= 0)) {
            throw new IllegalArgumentException("profile " + name + ": weights must be tp > 0, fp >= 0, fn >= 0");
        }
    }

    /** NAB's published profiles, for use without a profiles.json. */
    public static NabProfile standard() {
        return new NabProfile(STANDARD, 1.0, 0.11, 1.0);
    }

    public static NabProfile rewardLowFpRate() {
        return new NabProfile(REWARD_LOW_FP_RATE, 1.0, 0.22, 1.0);
    }

    public static NabProfile rewardLowFnRate() {
        return new NabProfile(REWARD_LOW_FN_RATE, 1.0, 0.11, 2.0);
    }

    /**
     * Reads NAB's {@code config/profiles.json}:
     * {@code {"<name>": {"CostMatrix": {"tpWeight": .., "fpWeight": .., "fnWeight": .., "tnWeight": ..}}, ...}}.
     * The order of the file is kept. tnWeight is not used by NAB's score and is ignored.
     */
    public static Map<String, NabProfile> load(Path profilesJson) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(profilesJson.toFile());
        } catch (IOException e) {
            throw new NabDataException(profilesJson + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new NabDataException(profilesJson + ": expected a JSON object");
        Map<String, NabProfile> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue().path("CostMatrix");
            if (!m.isObject()) throw new NabDataException(profilesJson + ": profile " + e.getKey() + " has no CostMatrix");
            out.put(e.getKey(), new NabProfile(e.getKey(),
                    weight(profilesJson, e.getKey(), m, "tpWeight"),
                    weight(profilesJson, e.getKey(), m, "fpWeight"),
                    weight(profilesJson, e.getKey(), m, "fnWeight")));
        }
        return out;
    }

    private static double weight(Path file, String profile, JsonNode matrix, String field) {
        JsonNode v = matrix.get(field);
        if (v == null || !v.isNumber()) {
            throw new NabDataException(file + ": profile " + profile + " CostMatrix." + field + " missing or not a number");
        }
        return v.doubleValue();
    }
}
