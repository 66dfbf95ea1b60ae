package io.augur.ops.parse.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.JsonFields;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.Resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parses one JSON object of the change-event family into {@link ChangeEvent}s:
 * <ul>
 *   <li>EventBridge envelopes {version, id, detail-type, source, account, time, region, resources[], detail} with
 *       detail-type "AWS API Call via CloudTrail" (and CloudTrail's other detail-types, whose records are then
 *       classified like any other), "CodeDeploy Deployment State-change Notification", "CodeDeploy Instance
 *       State-change Notification", "Config Configuration Item Change", "CloudFormation Resource Status Change" or
 *       "CloudFormation Stack Status Change" (stack events: they say which stack a resource belongs to). Any other detail-type is rejected as
 *       UNKNOWN_FORMAT, so that a misrouted stream shows in the dead letters;</li>
 *   <li>CloudTrail log files {"Records":[…]}: each record is one item;</li>
 *   <li>CloudWatch Logs subscription payloads (already gunzipped): CONTROL_MESSAGE is one ignored item, each log event
 *       of a DATA_MESSAGE is one item whose message is a CloudTrail record;</li>
 *   <li>bare CloudTrail records (eventName, eventSource and eventVersion).</li>
 * </ul>
 * Every item lands in exactly one bucket of the {@link ParseResult}: an event; ignored by rule (READ_ONLY_CALL,
 * NOT_A_CHANGE, CONTROL_MESSAGE); or a rejection carrying that item's own bytes. {@link #parse} never throws.
 */
public final class ChangeEventParser {
    public static final String RULE_READ_ONLY = "READ_ONLY_CALL";
    public static final String RULE_NOT_A_CHANGE = "NOT_A_CHANGE";
    public static final String RULE_CONTROL_MESSAGE = "CONTROL_MESSAGE";

    static final String CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";
    /** CloudTrail records under other EventBridge detail-types: valid input, classified (mostly NOT_A_CHANGE). */
    static final Set<String> OTHER_CLOUDTRAIL_DETAIL_TYPES = Set.of(
            "AWS Service Event via CloudTrail", "AWS Console Sign In via CloudTrail", "AWS Console Action via CloudTrail",
            "AWS Insight via CloudTrail");
    static final String CODEDEPLOY_DEPLOYMENT = "CodeDeploy Deployment State-change Notification";
    static final String CODEDEPLOY_INSTANCE = "CodeDeploy Instance State-change Notification";
    static final String CONFIG_ITEM_CHANGE = "Config Configuration Item Change";
    static final String CLOUDFORMATION_RESOURCE = "CloudFormation Resource Status Change";
    static final String CLOUDFORMATION_STACK = "CloudFormation Stack Status Change";

    static final String CODEDEPLOY_SOURCE = "codedeploy.amazonaws.com";
    static final String CONFIG_SOURCE = "config.amazonaws.com";
    static final String CLOUDFORMATION_SOURCE = "cloudformation.amazonaws.com";

    /** eventTypes that are API calls (or console actions) and may be changes; all others are NOT_A_CHANGE. */
    private static final Set<String> CHANGE_EVENT_TYPES = Set.of("AwsApiCall", "AwsConsoleAction");

    private static final class DefaultHolder {
        static final CloudTrailClassifier CLASSIFIER = CloudTrailClassifier.loadDefault();
    }

    private final CloudTrailClassifier classifier;

    public ChangeEventParser(CloudTrailClassifier classifier) {
        this.classifier = classifier;
    }

    /** With the classification table shipped with Augur (read once per JVM). */
    public static ChangeEventParser withDefaults() {
        return new ChangeEventParser(DefaultHolder.CLASSIFIER);
    }

    public boolean accepts(JsonNode obj) {
        return obj.has("detail-type") || obj.has("Records") || (obj.has("messageType") && obj.has("logEvents"))
                || (obj.has("eventName") && obj.has("eventSource") && obj.has("eventVersion"));
    }

    public void parse(JsonNode obj, byte[] raw, ParseResult out) {
        if (obj.has("detail-type")) {
            item(out, () -> raw, "EventBridge event", () -> envelope(obj, out));
        } else if (obj.has("Records")) {
            logFile(obj, raw, out);
        } else if (obj.has("logEvents")) {
            subscription(obj, raw, out);
        } else {
            item(out, () -> raw, "CloudTrail record", () -> cloudTrail(obj, null, null, out));
        }
    }

    // ---- containers ---------------------------------------------------------------------------------------------

    private void envelope(JsonNode env, ParseResult out) throws BadInputException {
        String detailType = JsonFields.text(env, "detail-type");
        if (detailType.equals(CLOUDTRAIL_API_CALL) || OTHER_CLOUDTRAIL_DETAIL_TYPES.contains(detailType)) {
            cloudTrail(JsonFields.object(env, "detail"), JsonFields.optText(env, "account"), JsonFields.optText(env, "region"), out);
        } else if (detailType.equals(CODEDEPLOY_DEPLOYMENT)) {
            codeDeploy(env, false, out);
        } else if (detailType.equals(CODEDEPLOY_INSTANCE)) {
            codeDeploy(env, true, out);
        } else if (detailType.equals(CONFIG_ITEM_CHANGE)) {
            config(env, out);
        } else if (detailType.equals(CLOUDFORMATION_RESOURCE) || detailType.equals(CLOUDFORMATION_STACK)) {
            cloudFormation(env, detailType.equals(CLOUDFORMATION_STACK), out);
        } else {
            throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT, "unsupported EventBridge detail-type '" + detailType
                    + "' (source " + JsonFields.optText(env, "source") + "): Augur reads CloudTrail, CodeDeploy, Config and CloudFormation status events");
        }
    }

    private void logFile(JsonNode file, byte[] raw, ParseResult out) {
        JsonNode records = file.get("Records");
        if (records == null || !records.isArray()) {
            out.reject(DeadLetterReason.WRONG_TYPE, "CloudTrail log file: field 'Records' must be an array, got "
                    + (records == null ? "nothing" : records.getNodeType()), raw);
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            JsonNode rec = records.get(i);
            item(out, () -> bytesOf(rec), "Records[" + i + "]", () -> {
                if (!rec.isObject()) {
                    throw new BadInputException(DeadLetterReason.WRONG_TYPE, "must be an object, got " + rec.getNodeType());
                }
                cloudTrail(rec, null, null, out);
            });
        }
    }

    private void subscription(JsonNode payload, byte[] raw, ParseResult out) {
        String messageType = JsonFields.optText(payload, "messageType");
        if ("CONTROL_MESSAGE".equals(messageType)) {
            out.ignore(RULE_CONTROL_MESSAGE); // CloudWatch Logs checking that the destination is reachable
            return;
        }
        if (!"DATA_MESSAGE".equals(messageType)) {
            out.reject(messageType == null ? DeadLetterReason.MISSING_FIELD : DeadLetterReason.UNKNOWN_FORMAT,
                    "CloudWatch Logs payload: messageType must be DATA_MESSAGE or CONTROL_MESSAGE, got " + messageType, raw);
            return;
        }
        JsonNode logEvents = payload.get("logEvents");
        if (!logEvents.isArray()) {
            out.reject(DeadLetterReason.WRONG_TYPE, "CloudWatch Logs payload: field 'logEvents' must be an array, got "
                    + logEvents.getNodeType(), raw);
            return;
        }
        String owner = JsonFields.optText(payload, "owner"); // the account whose log group it is
        for (int i = 0; i < logEvents.size(); i++) {
            JsonNode ev = logEvents.get(i);
            JsonNode msg = ev.get("message");
            Supplier<byte[]> bytes = msg != null && msg.isTextual()
                    ? () -> msg.textValue().getBytes(StandardCharsets.UTF_8) : () -> bytesOf(ev);
            item(out, bytes, "logEvents[" + i + "]", () -> {
                if (!ev.isObject()) throw new BadInputException(DeadLetterReason.WRONG_TYPE, "must be an object, got " + ev.getNodeType());
                String message = JsonFields.text(ev, "message");
                JsonNode rec;
                try {
                    rec = RecordParser.mapper().readTree(message);
                } catch (JsonProcessingException e) {
                    throw new BadInputException(DeadLetterReason.MALFORMED_JSON,
                            "message is not a JSON CloudTrail record: " + firstLine(e.getOriginalMessage()));
                }
                if (rec == null || !rec.isObject()) {
                    throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT, "message is not a JSON object");
                }
                cloudTrail(rec, owner, null, out);
            });
        }
    }

    // ---- CloudTrail ---------------------------------------------------------------------------------------------

    /** One CloudTrail record: an event, READ_ONLY_CALL, NOT_A_CHANGE, or an exception. Adds at most one thing. */
    private void cloudTrail(JsonNode rec, String fallbackAccount, String fallbackRegion, ParseResult out) throws BadInputException {
        String eventName = JsonFields.text(rec, "eventName");
        String eventSource = JsonFields.text(rec, "eventSource");
        long time = JsonFields.isoMillis(rec, "eventTime");
        String eventId = JsonFields.text(rec, "eventID");
        String region = rec.has("awsRegion") || fallbackRegion == null ? JsonFields.text(rec, "awsRegion") : fallbackRegion;
        JsonNode userIdentity = rec.get("userIdentity");
        String account = firstNonNull(JsonFields.optText(rec, "recipientAccountId"), JsonFields.optText(userIdentity, "accountId"), fallbackAccount);
        if (account == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing field 'recipientAccountId' (and userIdentity.accountId)");
        }

        if (isReadOnly(rec, eventSource, eventName)) {
            out.ignore(RULE_READ_ONLY);
            return;
        }
        if (!mayBeChange(rec)) {
            out.ignore(RULE_NOT_A_CHANGE);
            return;
        }
        Optional<EventClass> eventClass = classifier.classify(eventSource, eventName, rec.get("requestParameters"));
        if (eventClass.isEmpty()) {
            out.ignore(RULE_NOT_A_CHANGE);
            return;
        }
        List<Resource> resources = CloudTrailResources.extract(rec, account, region);
        CloudTrailTags.TagChange tags = CloudTrailTags.of(rec);
        out.events.add(ChangeEvent.newBuilder()
                .setId(eventId)
                .setTime(time)
                .setEventSource(eventSource)
                .setName(eventName)
                .setDataSource(EventDataSource.AWS_CLOUD_TRAIL)
                .setEventClass(eventClass.get())
                .setResources(resources)
                .setAccountId(account)
                .setRegion(region)
                .setErrorCode(JsonFields.optText(rec, "errorCode"))
                .setActor(actor(userIdentity))
                .setDeploymentId(null)
                .setTags(tags.set())
                .setRemovedTagKeys(tags.removed())
                .setStackName(tags.stackName())
                .build());
    }

    /** readOnly: true, or a read-only name (Get…, List…, …) unless the table names the call exactly. */
    private boolean isReadOnly(JsonNode rec, String eventSource, String eventName) {
        JsonNode ro = rec.get("readOnly");
        if (ro != null && (ro.isBoolean() ? ro.booleanValue() : "true".equalsIgnoreCase(ro.asText()))) return true;
        return CloudTrailClassifier.looksReadOnly(eventName) && !classifier.hasExactRule(eventSource, eventName);
    }

    /**
     * Only management API calls (and console actions) can be changes: service events, console sign-ins, Insights
     * events and data events (Lambda Invoke, S3 object and DynamoDB item calls) are not, whatever their name.
     */
    private static boolean mayBeChange(JsonNode rec) {
        String eventType = JsonFields.optText(rec, "eventType");
        if (eventType != null && !CHANGE_EVENT_TYPES.contains(eventType)) return false;
        String category = JsonFields.optText(rec, "eventCategory");
        if (category != null && !"Management".equals(category)) return false;
        JsonNode management = rec.get("managementEvent");
        return management == null || !management.isBoolean() || management.booleanValue();
    }

    /** The caller's ARN; for AWS services acting on their own, the service (invokedBy); else the principal id. */
    private static String actor(JsonNode userIdentity) {
        if (userIdentity == null || !userIdentity.isObject()) return null;
        return firstNonNull(JsonFields.optText(userIdentity, "arn"), JsonFields.optText(userIdentity, "invokedBy"),
                JsonFields.optText(userIdentity, "principalId"));
    }

    // ---- CodeDeploy ---------------------------------------------------------------------------------------------

    private static void codeDeploy(JsonNode env, boolean instanceEvent, ParseResult out) throws BadInputException {
        JsonNode d = JsonFields.object(env, "detail");
        long time = JsonFields.isoMillis(env, "time");
        String account = JsonFields.text(env, "account");
        String region = d.has("region") ? JsonFields.text(d, "region") : JsonFields.text(env, "region");
        String application = JsonFields.text(d, "application");
        String group = JsonFields.text(d, "deploymentGroup");
        String deploymentId = JsonFields.text(d, "deploymentId");
        String state = JsonFields.text(d, "state");
        String instanceId = instanceEvent ? JsonFields.text(d, "instanceId") : null;

        List<Resource> resources = new ArrayList<>(3);
        resources.add(ResourceIdentities.codeDeployDeploymentGroup(account, region, application, group));
        if (instanceId != null) {
            resources.add(instanceId.startsWith("arn:") ? ResourceIdentities.fromArn(instanceId, "AWS::CodeDeploy::OnPremisesInstance")
                    : ResourceIdentities.ec2Instance(account, region, instanceId));
        }
        // The application too: it is what CloudFormation stacks and tags name (a deployment group is known by name only).
        resources.add(ResourceIdentities.codeDeployApplication(account, region, application));
        // Deterministic id: a redelivered notification gets the same id, so duplicates can be detected downstream.
        String id = "codedeploy:" + deploymentId + ":" + state + (instanceId == null ? "" : ":" + instanceId);
        out.events.add(ChangeEvent.newBuilder()
                .setId(id)
                .setTime(time)
                .setEventSource(CODEDEPLOY_SOURCE)
                .setName((instanceEvent ? "CodeDeploy instance " : "CodeDeploy deployment ") + state)
                .setDataSource(EventDataSource.AWS_CODE_DEPLOY)
                .setEventClass(EventClass.DEPLOYMENT)
                .setResources(resources)
                .setAccountId(account)
                .setRegion(region)
                .setErrorCode(null)
                .setActor(application + "/" + group)
                .setDeploymentId(deploymentId)
                .build());
    }

    // ---- AWS Config ---------------------------------------------------------------------------------------------

    private static void config(JsonNode env, ParseResult out) throws BadInputException {
        JsonNode d = JsonFields.object(env, "detail");
        String messageType = JsonFields.text(d, "messageType");
        JsonNode item;
        String changeType;
        if (messageType.equals("ConfigurationItemChangeNotification")) {
            item = JsonFields.object(d, "configurationItem");
            JsonNode diff = d.get("configurationItemDiff");
            changeType = diff != null && diff.isObject() ? JsonFields.optText(diff, "changeType") : null;
        } else if (messageType.equals("OversizedConfigurationItemChangeNotification")) {
            // Too large for the notification: a summary instead of the item, the full item in S3 (s3DeliverySummary).
            item = JsonFields.object(d, "configurationItemSummary");
            changeType = JsonFields.optText(item, "changeType");
        } else {
            throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT, "Config event with unsupported messageType '" + messageType + "'");
        }
        if (changeType == null) changeType = changeTypeFromStatus(JsonFields.optText(item, "configurationItemStatus"));
        if (changeType == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing field 'configurationItemDiff.changeType'");
        }
        String resourceType = JsonFields.text(item, "resourceType");
        String resourceId = JsonFields.text(item, "resourceId");
        String captureTime = JsonFields.text(item, "configurationItemCaptureTime");
        long time = JsonFields.isoMillis(item, "configurationItemCaptureTime");
        String account = item.has("awsAccountId") ? JsonFields.text(item, "awsAccountId") : JsonFields.text(env, "account");
        String region = item.has("awsRegion") ? JsonFields.text(item, "awsRegion") : JsonFields.text(env, "region");

        EventClass eventClass;
        if (resourceType.startsWith("AWS::IAM::") || resourceType.equals("AWS::EC2::SecurityGroup")) {
            eventClass = EventClass.SECURITY_CHANGE;
        } else if (changeType.equals("UPDATE")) {
            eventClass = EventClass.CONFIG_CHANGE;
        } else if (changeType.equals("CREATE") || changeType.equals("DELETE")) {
            eventClass = EventClass.INFRASTRUCTURE;
        } else {
            throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT, "Config changeType must be CREATE, UPDATE or DELETE, got '" + changeType + "'");
        }
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        CloudTrailTags.tags(item.get("tags"), tags);
        out.events.add(ChangeEvent.newBuilder()
                .setId("config:" + resourceType + ":" + resourceId + ":" + captureTime)
                .setTime(time)
                .setEventSource(CONFIG_SOURCE)
                .setName("Config " + changeType + " " + resourceType)
                .setDataSource(EventDataSource.AWS_CONFIG)
                .setEventClass(eventClass)
                .setResources(List.of(configResource(item, resourceType, resourceId, account, region)))
                .setAccountId(account)
                .setRegion(region)
                .setErrorCode(null)
                .setActor(null)
                .setDeploymentId(null)
                .setTags(tags) // the item's whole tag set: what Config recorded
                .setStackName(changeType.equals("DELETE") ? null : tags.get(CloudTrailTags.STACK_NAME_TAG))
                .build());
    }

    // ---- CloudFormation stack events -----------------------------------------------------------------------------

    /**
     * A stack's or a stack resource's status change (EventBridge source aws.cloudformation). Only finished operations
     * (status *_COMPLETE) are changes; CREATE/IMPORT/DELETE are INFRASTRUCTURE, UPDATE and rollbacks DEPLOYMENT (like
     * UpdateStack in CloudTrail). A resource event names the resource's stack, which is how coverage learns stack
     * membership; a DELETE_COMPLETE resource has left its stack.
     */
    private static void cloudFormation(JsonNode env, boolean stackEvent, ParseResult out) throws BadInputException {
        JsonNode d = JsonFields.object(env, "detail");
        long time = JsonFields.isoMillis(env, "time");
        String account = JsonFields.text(env, "account");
        String region = JsonFields.text(env, "region");
        String stackId = JsonFields.text(d, "stack-id");
        String status = JsonFields.text(JsonFields.object(d, "status-details"), "status");
        if (!status.endsWith("_COMPLETE")) {
            out.ignore(RULE_NOT_A_CHANGE); // IN_PROGRESS, FAILED, …: the operation is not done
            return;
        }
        Resource stack = ResourceIdentities.cloudFormationStack(account, region, stackId);
        String stackName = stack.getName();
        boolean deleted = status.startsWith("DELETE");
        EventClass eventClass = status.startsWith("CREATE") || status.startsWith("IMPORT") || deleted
                ? EventClass.INFRASTRUCTURE : EventClass.DEPLOYMENT;
        List<Resource> resources = new ArrayList<>(2);
        String name;
        String id;
        if (stackEvent) {
            resources.add(stack);
            name = "CloudFormation stack " + status;
            id = "cloudformation:" + stackName + ":" + status + ":" + JsonFields.text(env, "time");
        } else {
            String type = JsonFields.text(d, "resource-type");
            String logicalId = JsonFields.text(d, "logical-resource-id");
            Resource r = ResourceIdentities.fromCloudFormation(account, region, type, JsonFields.optText(d, "physical-resource-id"));
            resources.add(r != null ? r : stack); // a resource Augur cannot name still changed its stack
            name = "CloudFormation " + type + " " + status;
            id = "cloudformation:" + stackName + ":" + logicalId + ":" + status + ":" + JsonFields.text(env, "time");
        }
        out.events.add(ChangeEvent.newBuilder()
                .setId(id)
                .setTime(time)
                .setEventSource(CLOUDFORMATION_SOURCE)
                .setName(name)
                .setDataSource(EventDataSource.AWS_CLOUDFORMATION)
                .setEventClass(eventClass)
                .setResources(resources)
                .setAccountId(account)
                .setRegion(region)
                .setErrorCode(null)
                .setActor(stackName)
                .setDeploymentId(null)
                .setStackName(deleted ? null : stackName)
                .build());
    }

    private static String changeTypeFromStatus(String status) {
        if (status == null) return null;
        return switch (status) {
            case "ResourceDiscovered" -> "CREATE";
            case "ResourceDeleted", "ResourceDeletedNotRecorded" -> "DELETE";
            case "OK" -> "UPDATE";
            default -> null;
        };
    }

    /**
     * The configuration item's resource as Augur's identity. Config's resourceId is not always the name metrics use
     * (an RDS instance's resourceId is its DbiResourceId "db-…", its resourceName the identifier), hence per type.
     */
    static Resource configResource(JsonNode item, String type, String resourceId, String account, String region) {
        String name = JsonFields.optText(item, "resourceName");
        String nameOrId = name != null && !name.isEmpty() ? name : resourceId;
        String arn = JsonFields.optText(item, "ARN");
        switch (type) {
            case "AWS::Lambda::Function": return ResourceIdentities.lambdaFunction(account, region, nameOrId);
            case "AWS::EC2::Instance": return ResourceIdentities.ec2Instance(account, region, resourceId);
            case "AWS::EC2::Volume": return ResourceIdentities.ebsVolume(account, region, resourceId);
            case "AWS::RDS::DBInstance": return ResourceIdentities.rdsInstance(account, region, nameOrId);
            case "AWS::RDS::DBCluster": return ResourceIdentities.rdsCluster(account, region, nameOrId);
            case "AWS::DynamoDB::Table": return ResourceIdentities.dynamoDbTable(account, region, nameOrId);
            case "AWS::SQS::Queue": return ResourceIdentities.sqsQueue(account, region, arn != null ? arn : nameOrId);
            case "AWS::SNS::Topic": return ResourceIdentities.snsTopic(account, region, arn != null ? arn : resourceId);
            case "AWS::AutoScaling::AutoScalingGroup": return ResourceIdentities.autoScalingGroup(account, region, nameOrId);
            case "AWS::ElasticLoadBalancing::LoadBalancer": return ResourceIdentities.classicLoadBalancer(account, region, nameOrId);
            case "AWS::Kinesis::Stream": return ResourceIdentities.kinesisStream(account, region, nameOrId);
            case "AWS::ECS::Cluster": return ResourceIdentities.ecsCluster(account, region, nameOrId);
            case "AWS::ApiGateway::RestApi": return ResourceIdentities.restApi(account, region, nameOrId); // resourceName = API name
            case "AWS::ApiGatewayV2::Api": return ResourceIdentities.httpApi(account, region, resourceId);
            case "AWS::CloudFormation::Stack": return ResourceIdentities.cloudFormationStack(account, region, nameOrId);
            default:
                break;
        }
        if (arn != null && arn.startsWith("arn:")) return ResourceIdentities.fromArn(arn, type); // ALBs, ECS services, …
        // No ARN (rare): a synthetic but stable one in Augur's own namespace.
        return ResourceIdentities.named(type, nameOrId, "arn:augur:config:" + region + ":" + account + ":" + type + "/" + resourceId);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface ItemBody {
        void run() throws BadInputException;
    }

    /**
     * Runs one item's parsing; a failure becomes that item's rejection (with {@code where} in front of the detail).
     * The body adds its event or ignore count as its last step, so a failure never leaves the item counted twice.
     */
    private static void item(ParseResult out, Supplier<byte[]> payload, String where, ItemBody body) {
        try {
            body.run();
        } catch (BadInputException e) {
            out.reject(e.reason(), where + ": " + e.detail(), payload.get());
        } catch (RuntimeException e) {
            // A bug or an input shape nobody anticipated: still one dead letter, never an exception out of parse().
            out.reject(DeadLetterReason.UNKNOWN_FORMAT, where + ": could not be parsed (" + e + ")", payload.get());
        }
    }

    private static byte[] bytesOf(JsonNode node) {
        try {
            return RecordParser.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) return "unparseable";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
