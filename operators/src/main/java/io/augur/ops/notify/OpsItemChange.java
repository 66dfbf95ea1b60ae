package io.augur.ops.notify;

import java.util.Map;

/**
 * What one insight lifecycle event does to the insight's OpsItem, independent of the SDK: a creation (NEW_INSIGHT) or
 * an update of the item made for the insight. Fields that are null are left unchanged by an update.
 *
 * @param create true for CreateOpsItem, false for UpdateOpsItem
 * @param title OpsItem title (at most 1,024 characters); creation only
 * @param description Markdown description (at most 2,048 characters); null on updates that do not change it
 * @param severity "1"–"4", or null to keep
 * @param status "Resolved" on CLOSED_INSIGHT, otherwise null
 * @param operationalData key → value; keys in {@link #searchableKeys} are SearchableString, the others String
 * @param actualStartTime epoch ms or null
 * @param actualEndTime epoch ms or null
 */
public record OpsItemChange(boolean create, String title, String description, String severity, String status,
                            Map<String, String> operationalData, java.util.Set<String> searchableKeys,
                            Long actualStartTime, Long actualEndTime) {}
