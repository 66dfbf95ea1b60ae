package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tags a CloudTrail call puts on (or takes off) the resources it touches, for coverage: which resource belongs to
 * which {@code devops-guru-*} application and CloudFormation stack. Services spell tags differently in
 * {@code requestParameters}:
 * <ul>
 *   <li>a map {@code tags: {key: value}}: Lambda TagResource and CreateFunction, SQS TagQueue and CreateQueue, the
 *       Resource Groups Tagging API's TagResources, API Gateway;</li>
 *   <li>a list {@code tags: [{key|Key, value|Value}]}: DynamoDB TagResource, RDS AddTagsToResource, ELBv2 AddTags,
 *       CloudFormation CreateStack/UpdateStack, CodeDeploy, Auto Scaling CreateOrUpdateTags;</li>
 *   <li>EC2's {@code tagSet.items[{key, value}]} (CreateTags) and {@code tagSpecificationSet.items[].tags[]} (RunInstances).</li>
 * </ul>
 * Removals (Untag*, *RemoveTags*, DeleteTags) name keys in {@code tagKeys[]} or in the same tag lists. Failed calls
 * change nothing. CloudFormation puts {@code aws:cloudformation:stack-name} on the resources it creates: that tag names
 * the stack.
 */
public final class CloudTrailTags {
    public static final String STACK_NAME_TAG = "aws:cloudformation:stack-name";

    /** What one call does to its resources' tags. */
    public record TagChange(Map<String, String> set, List<String> removed) {
        public static final TagChange NONE = new TagChange(Map.of(), List.of());

        public boolean isEmpty() {
            return set.isEmpty() && removed.isEmpty();
        }

        /** The stack named by {@value #STACK_NAME_TAG}, or null. */
        public String stackName() {
            return set.get(STACK_NAME_TAG);
        }
    }

    private CloudTrailTags() {}

    public static TagChange of(JsonNode record) {
        if (record.hasNonNull("errorCode")) return TagChange.NONE;
        JsonNode req = record.path("requestParameters");
        if (!req.isObject()) return TagChange.NONE;
        String name = CloudTrailResources.str(record, "eventName");
        boolean removal = name != null && (name.startsWith("Untag") || name.contains("RemoveTags") || name.equals("DeleteTags"));
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> removed = new LinkedHashSet<>();
        if (removal) {
            for (String f : new String[] {"tagKeys", "TagKeys", "keys"}) {
                for (JsonNode k : req.path(f)) if (k.isTextual()) removed.add(k.textValue());
            }
            Map<String, String> listed = new LinkedHashMap<>();
            tags(req.get("tags"), listed);
            tags(req.get("Tags"), listed);
            tags(req.path("tagSet").get("items"), listed);
            removed.addAll(listed.keySet());
        } else {
            tags(req.get("tags"), set);
            tags(req.get("Tags"), set);
            tags(req.path("tagSet").get("items"), set);
            for (JsonNode spec : req.path("tagSpecificationSet").path("items")) tags(spec.get("tags"), set);
        }
        if (set.isEmpty() && removed.isEmpty()) return TagChange.NONE;
        return new TagChange(set, new ArrayList<>(removed));
    }

    /** Adds the tags of a map {k: v}, or of a list [{key|Key, value|Value}] (a missing value counts as ""), to {@code out}. */
    static void tags(JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull()) return;
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) out.put(e.getKey(), e.getValue().asText());
            });
        } else if (node.isArray()) {
            for (JsonNode t : node) {
                String k = firstText(t, "key", "Key");
                if (k == null) continue;
                String v = firstText(t, "value", "Value");
                out.put(k, v == null ? "" : v);
            }
        }
    }

    private static String firstText(JsonNode o, String... fields) {
        for (String f : fields) {
            JsonNode n = o.get(f);
            if (n != null && n.isValueNode() && !n.isNull()) return n.asText();
        }
        return null;
    }
}
