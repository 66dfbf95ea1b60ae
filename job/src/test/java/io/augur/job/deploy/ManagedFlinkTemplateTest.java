package io.augur.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy/managed-flink/augur.yaml}: a well-formed template whose application Augur can read and whose IAM is least privilege. */
class ManagedFlinkTemplateTest {
    static final Path TEMPLATE = DeployFiles.root().resolve("deploy/managed-flink/augur.yaml");

    /**
     * PENDING: the notification sinks' keys the template already sets (in its clearly marked notify group). They are
     * allowed while AugurConfig knows no {@code notify.*} key at all; once the sinks land, every one of them must be a
     * real key (or the template renamed to match), and this set can go.
     */
    static final Set<String> PENDING_NOTIFY_KEYS = Set.of(
            "notify.sns.topic-arns", "notify.eventbridge.bus-name", "notify.eventbridge.source", "notify.opscenter.enabled");

    /** The only actions that may be granted on {@code Resource: "*"}: AWS has no narrower resource for them. */
    static final Map<String, String> STAR_RESOURCE_ALLOWED = Map.of(
            "ssm:CreateOpsItem", "no resource-level permission: the OpsItem does not exist before the call",
            "ssm:DescribeOpsItems", "no resource-level permission: a search over the account's OpsItems");

    /**
     * Actions that may be granted on an ARN pattern of this account and region rather than a resource of the template:
     * what they act on is created at run time, or is a List call. Never {@code "*"}.
     */
    static final Map<String, String> ACCOUNT_SCOPED_ALLOWED = Map.of(
            "logs:DescribeLogGroups", "a List call; Managed Flink checks the log group with it (log-group:* of the account and region)",
            "ssm:GetOpsItem", "OpsItems are created by the job at run time (opsitem/* of the account and region)",
            "ssm:UpdateOpsItem", "OpsItems are created by the job at run time",
            "ssm:AddTagsToResource", "tags the job's own OpsItems, created at run time");

    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::StackName",
            "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(?!!)([^}]+)}");

    private static JsonNode template;
    private static Set<String> resources;
    private static Set<String> parameters;

    @BeforeAll
    static void read() throws Exception {
        template = DeployFiles.cloudFormation(TEMPLATE);
        resources = names(template.path("Resources"));
        parameters = names(template.path("Parameters"));
    }

    @Test
    void everyResourceHasATypeAndEveryReferenceATarget() {
        assertThat(template.path("AWSTemplateFormatVersion").asText()).isEqualTo("2010-09-09");
        assertThat(resources).isNotEmpty();
        Set<String> conditions = names(template.path("Conditions"));
        for (Iterator<Map.Entry<String, JsonNode>> it = template.get("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            assertThat(r.getKey()).matches("[A-Za-z0-9]+");
            assertThat(r.getValue().path("Type").asText()).as(r.getKey()).matches("AWS::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?");
            assertThat(r.getValue().path("Properties").isObject()).as(r.getKey() + " Properties").isTrue();
            if (r.getValue().has("Condition")) assertThat(conditions).contains(r.getValue().get("Condition").asText());
            JsonNode dependsOn = r.getValue().path("DependsOn");
            for (JsonNode d : dependsOn.isArray() ? dependsOn : List.of(dependsOn)) {
                if (!d.isMissingNode()) assertThat(resources).as(r.getKey() + " DependsOn").contains(d.asText());
            }
        }

        List<String> problems = new ArrayList<>();
        walk(template, (node, path) -> {
            if (!node.isObject() || node.size() != 1) return;
            Map.Entry<String, JsonNode> f = node.fields().next();
            switch (f.getKey()) {
                case "Ref" -> {
                    String t = f.getValue().asText();
                    if (!resources.contains(t) && !parameters.contains(t) && !PSEUDO_PARAMETERS.contains(t)) problems.add(path + ": Ref " + t);
                }
                case "Fn::GetAtt" -> {
                    String t = f.getValue().get(0).asText();
                    if (!resources.contains(t)) problems.add(path + ": GetAtt " + t);
                }
                case "Fn::Sub" -> {
                    JsonNode v = f.getValue();
                    String text = v.isArray() ? v.get(0).asText() : v.asText();
                    Set<String> local = v.isArray() ? names(v.get(1)) : Set.of();
                    for (String var : subVariables(text)) {
                        String target = var.contains(".") && !var.startsWith("AWS::") ? var.substring(0, var.indexOf('.')) : var;
                        if (!local.contains(var) && !resources.contains(target) && !parameters.contains(target) && !PSEUDO_PARAMETERS.contains(target)) {
                            problems.add(path + ": Sub ${" + var + "}");
                        }
                    }
                }
                case "Fn::If" -> {
                    if (!conditions.contains(f.getValue().get(0).asText())) problems.add(path + ": If " + f.getValue().get(0));
                }
                default -> { }
            }
        });
        assertThat(problems).as("references to nothing").isEmpty();
        // every parameter is used
        Set<String> used = new TreeSet<>();
        walk(template, (node, path) -> {
            if (node.has("Ref")) used.add(node.get("Ref").asText());
            if (node.has("Fn::Sub")) used.addAll(subVariables(node.get("Fn::Sub").isArray() ? node.get("Fn::Sub").get(0).asText() : node.get("Fn::Sub").asText()));
        });
        assertThat(used).as("parameters used").containsAll(parameters);
    }

    @Test
    void theApplicationRunsFlink120FromS3WithCheckpointsSnapshotsAutoscalingAndLogging() {
        JsonNode app = single("AWS::KinesisAnalyticsV2::Application");
        JsonNode p = app.get("Properties");
        assertThat(p.path("RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        assertThat(p.path("ApplicationMode").asText()).isEqualTo("STREAMING");
        assertThat(p.at("/ServiceExecutionRole/Fn::GetAtt/0").asText()).isEqualTo("ApplicationRole");
        JsonNode code = p.at("/ApplicationConfiguration/ApplicationCodeConfiguration");
        assertThat(code.path("CodeContentType").asText()).isEqualTo("ZIPFILE");
        assertThat(code.at("/CodeContent/S3ContentLocation/BucketARN/Fn::Sub").asText()).contains("${CodeBucket}");
        assertThat(code.at("/CodeContent/S3ContentLocation/FileKey/Ref").asText()).isEqualTo("CodeKey");
        JsonNode flink = p.at("/ApplicationConfiguration/FlinkApplicationConfiguration");
        assertThat(flink.at("/CheckpointConfiguration/ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(flink.at("/CheckpointConfiguration/CheckpointingEnabled").asBoolean()).isTrue();
        assertThat(flink.at("/CheckpointConfiguration/CheckpointInterval").asLong()).isBetween(10_000L, 300_000L);
        assertThat(flink.at("/ParallelismConfiguration/ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(flink.at("/ParallelismConfiguration/AutoScalingEnabled/Ref").asText()).isEqualTo("AutoScaling");
        assertThat(flink.at("/ParallelismConfiguration/Parallelism/Ref").asText()).isEqualTo("Parallelism");
        assertThat(flink.at("/MonitoringConfiguration/LogLevel").asText()).isEqualTo("INFO");
        assertThat(p.at("/ApplicationConfiguration/ApplicationSnapshotConfiguration/SnapshotsEnabled").asBoolean()).isTrue();
        assertThat(p.at("/RunConfiguration/ApplicationRestoreConfiguration/ApplicationRestoreType").asText()).isEqualTo("RESTORE_FROM_LATEST_SNAPSHOT");
        assertThat(p.at("/RunConfiguration/FlinkRunConfiguration/AllowNonRestoredState").asBoolean()).isFalse();

        assertThat(ofType("AWS::Kinesis::Stream").keySet()).containsExactlyInAnyOrder("MetricsStream", "EventsStream");
        assertThat(single("AWS::SNS::Topic")).isNotNull();
        assertThat(single("AWS::Events::EventBus")).isNotNull();

        JsonNode logging = single("AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption").get("Properties");
        assertThat(logging.at("/ApplicationName/Ref").asText()).isEqualTo("Application");
        assertThat(logging.at("/CloudWatchLoggingOption/LogStreamARN/Fn::Sub").asText()).contains("${ApplicationLogGroup}").contains("${ApplicationLogStream}");
    }

    @Test
    void everyPropertyKeyIsAKeyOfAugursConfigurationAndTheStreamsAreTheTemplates() {
        Map<String, Properties> groups = new LinkedHashMap<>();
        Map<String, JsonNode> raw = new HashMap<>();
        for (JsonNode g : single("AWS::KinesisAnalyticsV2::Application").at("/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups")) {
            Properties props = new Properties();
            for (Iterator<Map.Entry<String, JsonNode>> it = g.get("PropertyMap").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                props.setProperty(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : "<intrinsic>");
                raw.put(g.get("PropertyGroupId").asText() + "." + e.getKey(), e.getValue());
            }
            assertThat(groups.put(g.get("PropertyGroupId").asText(), props)).as("group %s once", g.get("PropertyGroupId")).isNull();
        }
        // the job's own mapping of property groups onto keys (AugurConfig.fromPropertyGroups)
        Map<String, String> keys = AugurConfig.fromPropertyGroups(groups);
        boolean sinksLanded = AugurConfig.KEYS.stream().map(ConfigKey::name).anyMatch(k -> k.startsWith("notify."));

        Set<String> unknown = new TreeSet<>();
        for (String k : keys.keySet()) if (!AugurConfig.isKnown(k)) unknown.add(k); // isKnown: declared keys and scoped families
        if (!sinksLanded) unknown.removeAll(PENDING_NOTIFY_KEYS);
        assertThat(unknown).as(sinksLanded
                ? "keys AugurConfig does not know (the notify.* sinks landed: rename the template's notify keys to theirs, then drop PENDING_NOTIFY_KEYS)"
                : "keys AugurConfig does not know").isEmpty();
        assertThat(PENDING_NOTIFY_KEYS).as("pending keys the template sets").allMatch(keys::containsKey);

        // literal values are values AugurConfig accepts (intrinsics are resolved by CloudFormation)
        Map<String, String> literal = new TreeMap<>();
        keys.forEach((k, v) -> {
            if (!v.equals("<intrinsic>") && AugurConfig.isKnown(k)) literal.put(k, v);
        });
        AugurConfig cfg = AugurConfig.defaults().with(literal);
        assertThat(cfg.get(AugurConfig.SOURCE_TYPE)).isEqualTo("kinesis");

        // the job reads the template's streams and publishes to its topic and bus
        assertThat(raw.get("kinesis.metrics.stream").at("/Fn::GetAtt/0").asText()).isEqualTo("MetricsStream");
        assertThat(raw.get("kinesis.events.stream").at("/Fn::GetAtt/0").asText()).isEqualTo("EventsStream");
        assertThat(raw.get("kinesis.region").at("/Ref").asText()).isEqualTo("AWS::Region");
        assertThat(raw.get("notify.sns.topic-arns").at("/Ref").asText()).isEqualTo("InsightsTopic");
        assertThat(raw.get("notify.eventbridge.bus-name").at("/Ref").asText()).isEqualTo("InsightsBus");
        assertThat(keys.get("notify.eventbridge.source")).as("a custom bus cannot carry an aws.* source").doesNotStartWith("aws.");
        assertThat(type(raw.get("kinesis.metrics.stream").at("/Fn::GetAtt/0").asText())).isEqualTo("AWS::Kinesis::Stream");
    }

    @Test
    void iamGrantsNamedActionsOnTheTemplatesOwnResourcesOnly() {
        List<String> problems = new ArrayList<>();
        int statements = 0;
        for (Map.Entry<String, JsonNode> doc : policyDocuments().entrySet()) {
            for (JsonNode st : asList(doc.getValue().get("Statement"))) {
                statements++;
                String where = doc.getKey() + (st.has("Sid") ? "/" + st.get("Sid").asText() : "");
                assertThat(st.path("Effect").asText()).as(where).isEqualTo("Allow");
                List<String> actions = new ArrayList<>();
                for (JsonNode a : asList(st.get("Action"))) actions.add(a.asText());
                assertThat(st.has("NotAction")).as(where + " NotAction").isFalse();
                assertThat(st.has("NotResource")).as(where + " NotResource").isFalse();
                for (String a : actions) {
                    if (!a.matches("[a-z0-9-]+:[A-Za-z0-9]+")) problems.add(where + ": action '" + a + "' is not one named action (no wildcards)");
                }
                JsonNode principal = st.path("Principal");
                if (!principal.isMissingNode()) {
                    if (!principal.path("Service").asText().matches("[a-z0-9.-]+\\.amazonaws\\.com")) problems.add(where + ": principal " + principal);
                }
                for (JsonNode res : asList(st.get("Resource"))) {
                    if (scopedToTemplate(res)) continue;
                    boolean star = res.isTextual() && res.asText().equals("*");
                    boolean accountScoped = res.has("Fn::Sub") && res.get("Fn::Sub").asText()
                            .startsWith("arn:${AWS::Partition}:") && res.get("Fn::Sub").asText().contains(":${AWS::Region}:${AWS::AccountId}:");
                    for (String a : actions) {
                        boolean allowed = star ? STAR_RESOURCE_ALLOWED.containsKey(a)
                                : accountScoped && ACCOUNT_SCOPED_ALLOWED.containsKey(a);
                        if (!allowed) problems.add(where + ": " + a + " on " + res + ", not a resource of this template");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(statements).isGreaterThan(10);

        // every role's trust names one AWS service
        for (Map.Entry<String, JsonNode> r : ofType("AWS::IAM::Role").entrySet()) {
            for (JsonNode st : asList(r.getValue().at("/Properties/AssumeRolePolicyDocument/Statement"))) {
                assertThat(st.path("Action").asText()).as(r.getKey()).isEqualTo("sts:AssumeRole");
                assertThat(st.at("/Principal/Service").asText()).as(r.getKey()).matches("[a-z0-9.-]+\\.amazonaws\\.com");
            }
            assertThat(r.getValue().at("/Properties/ManagedPolicyArns").isMissingNode()).as(r.getKey() + ": no managed policies").isTrue();
        }
    }

    @Test
    void ingestionRoutesLeadIntoTheTwoStreams() {
        // CloudTrail (write calls) and change events: EventBridge rules on the default bus -> the events stream
        Map<String, JsonNode> rules = ofType("AWS::Events::Rule");
        Set<String> detailTypes = new HashSet<>();
        for (JsonNode rule : rules.values()) {
            JsonNode target = rule.at("/Properties/Targets/0");
            assertThat(target.at("/Arn/Fn::GetAtt/0").asText()).isEqualTo("EventsStream");
            assertThat(target.at("/KinesisParameters/PartitionKeyPath").asText()).isEqualTo("$.id");
            assertThat(target.at("/RoleArn/Fn::GetAtt/0").asText()).isEqualTo("EventsToKinesisRole");
            rule.at("/Properties/EventPattern/detail-type").forEach(d -> detailTypes.add(d.asText()));
        }
        assertThat(detailTypes).contains("AWS API Call via CloudTrail", "CodeDeploy Deployment State-change Notification",
                "Config Configuration Item Change");
        assertThat(ofType("AWS::CloudTrail::Trail").values()).allMatch(t -> t.path("Condition").asText().equals("CreateTrailCondition"));

        // metric stream -> Firehose -> HTTPS (the API) -> Kinesis PutRecords -> the metrics stream
        JsonNode stream = single("AWS::CloudWatch::MetricStream").get("Properties");
        assertThat(stream.at("/FirehoseArn/Fn::GetAtt/0").asText()).isEqualTo("MetricsDelivery");
        JsonNode http = resource("MetricsDelivery").at("/Properties/HttpEndpointDestinationConfiguration");
        assertThat(http.at("/EndpointConfiguration/Url/Fn::Sub").asText())
                .isEqualTo("https://${IngestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${IngestStage}/metrics");
        assertThat(http.at("/EndpointConfiguration/AccessKey/Ref").asText()).isEqualTo("FirehoseAccessKey");
        assertThat(http.at("/RequestConfiguration/ContentEncoding").asText()).isEqualTo("NONE");
        assertThat(http.at("/BufferingHints/SizeInMBs").asInt()).isLessThanOrEqualTo(4); // PutRecords takes 5 MiB a call
        assertThat(http.path("S3BackupMode").asText()).isEqualTo("FailedDataOnly");
        assertThat(resource("IngestResource").at("/Properties/PathPart").asText()).isEqualTo("metrics");
        assertThat(resource("IngestStage").at("/Properties/StageName").asText()).isNotBlank();

        JsonNode method = resource("IngestMethod").get("Properties");
        assertThat(method.path("AuthorizationType").asText()).isEqualTo("CUSTOM");
        assertThat(resource("IngestAuthorizer").at("/Properties/IdentitySource").asText()).isEqualTo("method.request.header.X-Amz-Firehose-Access-Key");
        JsonNode integration = method.get("Integration");
        assertThat(integration.path("Type").asText()).isEqualTo("AWS");
        assertThat(integration.at("/Uri/Fn::Sub").asText()).endsWith(":kinesis:action/PutRecords");
        assertThat(integration.at("/Credentials/Fn::GetAtt/0").asText()).isEqualTo("ApiToKinesisRole");
        String request = integration.at("/RequestTemplates/application~1json/Fn::Sub").asText();
        assertThat(request).contains("\"StreamName\": \"${MetricsStream}\"").contains("$input.path('$.records')").contains("\"Data\": \"$record.data\"");
        String ok = integration.at("/IntegrationResponses/0/ResponseTemplates/application~1json").asText();
        assertThat(ok).contains("$input.params('X-Amz-Firehose-Request-Id')").contains("$context.responseOverride.status = 500")
                .contains("FailedRecordCount").contains("\"timestamp\": $context.requestTimeEpoch");
    }

    /** A Resource is the template's when it is a Ref/GetAtt of a resource or parameter, or a Sub naming one. */
    private static boolean scopedToTemplate(JsonNode res) {
        if (res.has("Ref")) return resources.contains(res.get("Ref").asText()) || parameters.contains(res.get("Ref").asText());
        if (res.has("Fn::GetAtt")) return resources.contains(res.get("Fn::GetAtt").get(0).asText());
        if (res.has("Fn::Sub")) {
            for (String var : subVariables(res.get("Fn::Sub").asText())) {
                String target = var.contains(".") ? var.substring(0, var.indexOf('.')) : var;
                if (resources.contains(target) || parameters.contains(target)) return true;
            }
        }
        return false;
    }

    /** Every IAM policy document in the template: inline role policies, bucket and topic policies. */
    private static Map<String, JsonNode> policyDocuments() {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.get("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            for (JsonNode policy : r.getValue().at("/Properties/Policies")) {
                docs.put(r.getKey() + "/" + policy.path("PolicyName").asText(), policy.get("PolicyDocument"));
            }
            if (r.getValue().at("/Properties/PolicyDocument").isObject()) docs.put(r.getKey(), r.getValue().at("/Properties/PolicyDocument"));
        }
        return docs;
    }

    private static Set<String> subVariables(String text) {
        Set<String> vars = new TreeSet<>();
        Matcher m = SUB_VARIABLE.matcher(text);
        while (m.find()) vars.add(m.group(1));
        return vars;
    }

    private interface Visitor {
        void visit(JsonNode node, String path);
    }

    private static void walk(JsonNode node, Visitor v) {
        walk(node, "", v);
    }

    private static void walk(JsonNode node, String path, Visitor v) {
        v.visit(node, path);
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> walk(e.getValue(), path + "/" + e.getKey(), v));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "/" + i, v);
        }
    }

    private static List<JsonNode> asList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null || n.isMissingNode()) return out;
        if (n.isArray()) n.forEach(out::add);
        else out.add(n);
        return out;
    }

    private static Set<String> names(JsonNode obj) {
        Set<String> out = new TreeSet<>();
        if (obj != null) obj.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode resource(String name) {
        JsonNode r = template.get("Resources").get(name);
        assertThat(r).as("resource " + name).isNotNull();
        return r;
    }

    private static String type(String name) {
        return resource(name).path("Type").asText();
    }

    private static Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.get("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) out.put(e.getKey(), e.getValue());
        });
        return out;
    }

    private static JsonNode single(String type) {
        Map<String, JsonNode> all = ofType(type);
        assertThat(all).as(type).hasSize(1);
        return all.values().iterator().next();
    }
}
