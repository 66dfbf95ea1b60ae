package io.augur.ops.anomaly;

import io.augur.schema.AnomalyKind;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic anomaly ids: the same series, kind and start time give the same id, so a replay gives the same ids. */
public final class AnomalyIds {
    private AnomalyIds() {}

    public static String id(String seriesKey, AnomalyKind kind, long startTime) {
        return UUID.nameUUIDFromBytes(("augur-anomaly|" + seriesKey + "|" + kind.name() + "|" + startTime).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
