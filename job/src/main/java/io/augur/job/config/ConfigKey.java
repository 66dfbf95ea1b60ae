package io.augur.job.config;

import java.util.List;

/** One configuration key: its name (group.key), its default, what values it takes, and what it does. */
public record ConfigKey(String name, String defaultValue, String values, String description) {
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
