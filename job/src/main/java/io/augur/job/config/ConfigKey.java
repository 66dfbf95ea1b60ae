package io.augur.job.config;

import java.util.List;

/**
 * One configuration key: its name (group.key), its default, what values it takes, and what it does. A <i>scoped</i> key
 * ends in {@value #SCOPE}: it stands for a family of keys, one per scope, e.g. {@code detector.sensitivity.<scope>}
 * for {@code detector.sensitivity.AWS/Lambda/Errors}.
 */
public record ConfigKey(String name, String defaultValue, String values, String description) {
    public static final String SCOPE = "<scope>";

    /** Whether this key stands for a family of keys, one per scope. */
    public boolean scoped() {
        return name.endsWith("." + SCOPE);
    }

    /** For a scoped key, what every key of the family starts with (e.g. {@code detector.sensitivity.}). */
    public String prefix() {
        return name.substring(0, name.length() - SCOPE.length());
    }

    /** The Managed Flink property group a key belongs to: the part before the first dot. */
    public String group() {
        return name.substring(0, name.indexOf('.'));
    }

    /** The key inside its property group: the part after the first dot. */
    public String keyInGroup() {
        return name.substring(name.indexOf('.') + 1);
    }

    public List<String> choices() {
        return values.startsWith("one of ") ? List.of(values.substring(7).split("\\|")) : List.of();
    }
}
