package io.augur.ops.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Coverage control documents: one JSON object per line, in DevOps Guru's ResourceCollection shape plus a revision
 * (and optionally the accounts):
 * <pre>
 * {"revision": 2, "ResourceCollection": {"CloudFormation": {"StackNames": ["checkout-prod", "orders-prod"]}}}
 * {"revision": 3, "ResourceCollection": {"Tags": [{"AppBoundaryKey": "devops-guru-app", "TagValues": ["*"]}]}}
 * {"revision": 4, "accounts": ["123456789012"], "ResourceCollection": {"CloudFormation": {"StackNames": ["*"]}}}
 * </pre>
 * As in DevOps Guru, {@code StackNames: ["*"]} means the whole account. A document replaces the coverage as a whole;
 * the highest revision wins, so files may arrive in any order.
 */
public final class CoverageDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CoverageDocuments() {}

    /** Parses one document; throws IllegalArgumentException naming what is wrong. */
    public static CoverageSettings parse(String line, String origin) {
        JsonNode doc;
        try {
            doc = JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalArgumentException("coverage document is not JSON: " + e.getMessage().split("\n")[0]);
        }
        if (doc == null || !doc.isObject()) throw new IllegalArgumentException("coverage document must be a JSON object");
        JsonNode rev = doc.get("revision");
        if (rev == null || !rev.canConvertToLong() || rev.asLong() <= 0) {
            throw new IllegalArgumentException("coverage document needs \"revision\": a whole number above 0 (the configuration is revision 0)");
        }
        JsonNode rc = doc.get("ResourceCollection");
        if (rc == null || !rc.isObject()) throw new IllegalArgumentException("coverage document needs a \"ResourceCollection\" object");
        CoverageSettings.Builder b = CoverageSettings.newBuilder().setRevision(rev.asLong()).setOrigin(origin)
                .setAccounts(strings(doc.get("accounts"), "accounts")).setStackNames(List.of()).setTagKey(null).setTagValues(List.of());
        JsonNode cfn = rc.get("CloudFormation");
        JsonNode tags = rc.get("Tags");
        if ((cfn == null) == (tags == null)) {
            throw new IllegalArgumentException("ResourceCollection needs exactly one of \"CloudFormation\" and \"Tags\"");
        }
        if (cfn != null) {
            List<String> stacks = strings(cfn.get("StackNames"), "CloudFormation.StackNames");
            if (stacks.contains(Coverage.ANY)) b.setMode(CoverageMode.ACCOUNT);
            else b.setMode(CoverageMode.STACKS).setStackNames(stacks);
        } else {
            if (!tags.isArray() || tags.size() != 1) {
                throw new IllegalArgumentException("\"Tags\" must hold exactly one {\"AppBoundaryKey\", \"TagValues\"} (one application boundary key)");
            }
            JsonNode t = tags.get(0);
            JsonNode key = t.get("AppBoundaryKey");
            b.setMode(CoverageMode.TAGS).setTagKey(key == null || !key.isTextual() ? null : key.textValue())
                    .setTagValues(strings(t.get("TagValues"), "Tags[0].TagValues"));
        }
        return Coverage.validate(b.build());
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        for (JsonNode s : n) {
            if (!s.isTextual() || s.textValue().isBlank()) throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
            out.add(s.textValue().trim());
        }
        return out;
    }
}
