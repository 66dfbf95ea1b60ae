package io.augur.ops.flink;

import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

import java.time.Duration;

/** Keyed state that expires when its key goes silent: written-to refreshes it, expired values are never returned. */
public final class StateTtl {
    private StateTtl() {}

    public static <D extends StateDescriptor<?, ?>> D expireAfterSilence(D descriptor, Duration ttl) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }
}
