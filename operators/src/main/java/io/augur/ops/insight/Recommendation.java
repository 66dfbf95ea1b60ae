package io.augur.ops.insight;

import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;

import java.util.List;

/** One recommendation for an insight: DevOps Guru's Name, Description, Reason, Link, Category, RelatedAnomalies, RelatedEvents. */
public record Recommendation(String ruleId, String name, String description, String reason, String link, String category,
                             List<Anomaly> relatedAnomalies, List<ChangeEvent> relatedEvents) {}
