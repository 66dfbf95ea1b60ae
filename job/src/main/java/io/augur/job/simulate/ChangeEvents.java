package io.augur.job.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Random;

import static io.augur.job.simulate.Fleet.ACCOUNT;
import static io.augur.job.simulate.Fleet.REGION;

/** EventBridge envelopes in AWS's exact shapes: CloudTrail API calls, CodeDeploy state changes, Config item changes. */
final class ChangeEvents {
    static final ObjectMapper JSON = new ObjectMapper();

    private ChangeEvents() {}

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static ObjectNode envelope(String id, String detailType, String source, long time, String... resources) {
        ObjectNode e = obj();
        e.put("version", "0");
        e.put("id", id);
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", ACCOUNT);
        e.put("time", iso(time / 1000 * 1000));
        e.put("region", REGION);
        ArrayNode rs = e.putArray("resources");
        for (String r : resources) rs.add(r);
        return e;
    }

    /** A CodeDeploy deployment state change; its normalized id is {@code codedeploy:<deploymentId>:<state>}. */
    static ObjectNode codeDeploy(String envelopeId, Fleet.App app, String deploymentId, String state, long time, String instanceGroupId) {
        ObjectNode e = envelope(envelopeId, "CodeDeploy Deployment State-change Notification", "aws.codedeploy", time,
                "arn:aws:codedeploy:" + REGION + ":" + ACCOUNT + ":deploymentgroup:" + app.name + "/" + app.deploymentGroup(),
                "arn:aws:codedeploy:" + REGION + ":" + ACCOUNT + ":application:" + app.name);
        ObjectNode d = e.putObject("detail");
        d.put("region", REGION);
        d.put("application", app.name);
        d.put("deploymentId", deploymentId);
        d.put("deploymentGroup", app.deploymentGroup());
        d.put("instanceGroupId", instanceGroupId);
        d.put("state", state);
        return e;
    }

    /** A CloudTrail API call via EventBridge; its normalized id is the {@code eventID}. */
    static ObjectNode cloudTrail(Random rnd, String envelopeId, String eventId, String service, String eventName, long time,
                                 ObjectNode request, ObjectNode response, boolean readOnly, String user) {
        ObjectNode e = envelope(envelopeId, "AWS API Call via CloudTrail", "aws." + service, time);
        ObjectNode d = e.putObject("detail");
        d.put("eventVersion", "1.09");
        ObjectNode id = d.putObject("userIdentity");
        id.put("type", "AssumedRole");
        id.put("principalId", "AROA3EXAMPLEROLE1234:" + user);
        id.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/DeployRole/" + user);
        id.put("accountId", ACCOUNT);
        id.put("accessKeyId", "ASIA3EXAMPLE" + Fleet.hex(rnd, 8).toUpperCase());
        ObjectNode sc = id.putObject("sessionContext");
        ObjectNode issuer = sc.putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("principalId", "AROA3EXAMPLEROLE1234");
        issuer.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/DeployRole");
        issuer.put("accountId", ACCOUNT);
        issuer.put("userName", "DeployRole");
        ObjectNode attrs = sc.putObject("attributes");
        attrs.put("creationDate", iso((time - 1_800_000) / 1000 * 1000));
        attrs.put("mfaAuthenticated", "false");
        d.put("eventTime", iso(time / 1000 * 1000));
        d.put("eventSource", service + ".amazonaws.com");
        d.put("eventName", eventName);
        d.put("awsRegion", REGION);
        d.put("sourceIPAddress", "203.0.113." + (10 + rnd.nextInt(200)));
        d.put("userAgent", "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023");
        d.set("requestParameters", request);
        if (response == null) d.putNull("responseElements");
        else d.set("responseElements", response);
        d.put("requestID", Fleet.uuid(rnd));
        d.put("eventID", eventId);
        d.put("readOnly", readOnly);
        d.put("eventType", "AwsApiCall");
        d.put("managementEvent", true);
        d.put("recipientAccountId", ACCOUNT);
        d.put("eventCategory", "Management");
        return e;
    }

    /**
     * A CloudFormation stack resource status change (EventBridge source aws.cloudformation); its normalized id is
     * {@code cloudformation:<stack>:<logicalId>:<status>:<time>}.
     */
    static ObjectNode cloudFormationResource(String envelopeId, String stackArn, String logicalId, String physicalId, String type,
                                             String status, long time, String token) {
        ObjectNode e = envelope(envelopeId, "CloudFormation Resource Status Change", "aws.cloudformation", time, stackArn);
        ObjectNode d = e.putObject("detail");
        d.put("stack-id", stackArn);
        d.put("logical-resource-id", logicalId);
        d.put("physical-resource-id", physicalId);
        ObjectNode s = d.putObject("status-details");
        s.put("status", status);
        s.put("status-reason", "");
        d.put("resource-type", type);
        d.put("client-request-token", token);
        return e;
    }

    /** A CloudTrail call CloudFormation made on the caller's behalf (userIdentity.invokedBy cloudformation.amazonaws.com). */
    static ObjectNode cloudTrailByCloudFormation(Random rnd, String envelopeId, String eventId, String service, String eventName, long time,
                                                 ObjectNode request, ObjectNode response, String user) {
        ObjectNode e = cloudTrail(rnd, envelopeId, eventId, service, eventName, time, request, response, false, user);
        ObjectNode d = (ObjectNode) e.get("detail");
        ((ObjectNode) d.get("userIdentity")).put("invokedBy", "cloudformation.amazonaws.com");
        d.put("sourceIPAddress", "cloudformation.amazonaws.com");
        d.put("userAgent", "cloudformation.amazonaws.com");
        return e;
    }

    /**
     * An AWS Config configuration item change (UPDATE); its normalized id is
     * {@code config:<resourceType>:<resourceId>:<configurationItemCaptureTime>}.
     */
    static ObjectNode configChange(String envelopeId, String resourceType, String resourceId, String resourceName, String arn,
                                   long captureTime, String property, Object previous, Object updated, ObjectNode configuration,
                                   Fleet.App app, String relatedEventId) {
        ObjectNode e = envelope(envelopeId, "Config Configuration Item Change", "aws.config", captureTime + 800, arn);
        ObjectNode d = e.putObject("detail");
        d.put("recordVersion", "1.3");
        d.put("messageType", "ConfigurationItemChangeNotification");
        ObjectNode diff = d.putObject("configurationItemDiff");
        ObjectNode prop = diff.putObject("changedProperties").putObject(property);
        prop.putPOJO("previousValue", previous);
        prop.putPOJO("updatedValue", updated);
        prop.put("changeType", "UPDATE");
        diff.put("changeType", "UPDATE");
        d.put("notificationCreationTime", Instant.ofEpochMilli(captureTime + 700).toString());
        ObjectNode item = d.putObject("configurationItem");
        ArrayNode related = item.putArray("relatedEvents");
        if (relatedEventId != null) related.add(relatedEventId);
        item.putArray("relationships");
        item.set("configuration", configuration);
        ObjectNode tags = item.putObject("tags");
        tags.put("aws:cloudformation:stack-name", app.stack);
        if (app.tag != null) tags.put("devops-guru-app", app.tag);
        item.put("configurationItemVersion", "1.3");
        item.put("configurationItemCaptureTime", Instant.ofEpochMilli(captureTime).toString());
        item.put("configurationStateId", captureTime);
        item.put("awsAccountId", ACCOUNT);
        item.put("configurationItemStatus", "OK");
        item.put("resourceType", resourceType);
        item.put("resourceId", resourceId);
        item.put("resourceName", resourceName);
        item.put("ARN", arn);
        item.put("awsRegion", REGION);
        item.put("availabilityZone", "us-east-1a");
        return e;
    }
}
