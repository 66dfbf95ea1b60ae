#!/usr/bin/env python3
"""Writes Augur's built-in sample data (job/src/main/resources/samples/): two hours of CloudWatch metric-stream
records for a small application, and the change events around it, in the exact AWS wire formats. One record per line;
binary records (gzip) as base64:<data>. A few records are bad on purpose, to show the dead-letter output.
Deterministic: running it again gives the same bytes."""
import base64, gzip, io, json, math, os, random

OUT = os.path.join(os.path.dirname(__file__), "..", "job", "src", "main", "resources", "samples")
ACCOUNT, REGION = "123456789012", "us-east-1"
T0 = 1735725600000  # 2025-01-01T10:00:00Z
rnd = random.Random(7)

def gz(data: bytes) -> str:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return "base64:" + base64.b64encode(buf.getvalue()).decode()

def dp(ns, metric, dims, ts, values, unit, pct=None):
    n = max(1, int(values[1]))
    v = {"max": round(values[0] * 1.4, 3), "min": round(values[0] * 0.6, 3), "sum": round(values[0] * n, 3), "count": n}
    if pct:
        v.update(pct)
    return {"metric_stream_name": "augur-sample", "account_id": ACCOUNT, "region": REGION, "namespace": ns,
            "metric_name": metric, "dimensions": dims, "timestamp": ts, "value": v, "unit": unit}

series = [
    ("AWS/Lambda", "Duration", {"FunctionName": "checkout-api"}, 120.0, "Milliseconds"),
    ("AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, 0.2, "Count"),
    ("AWS/Lambda", "Invocations", {"FunctionName": "checkout-api"}, 300.0, "Count"),
    ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "orders-db"}, 35.0, "Percent"),
    ("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": "app/web-alb/50dc6c495c0c9188"}, 900.0, "Count"),
    ("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0a1b2c3d4e5f60718"}, 42.0, "Percent"),
    ("AWS/DynamoDB", "ConsumedReadCapacityUnits", {"TableName": "orders"}, 55.0, "Count"),
]

lines = []
for minute in range(120):
    ts = T0 + minute * 60000
    load = 1.0 + 0.25 * math.sin(minute / 120 * 2 * math.pi)
    objs = []
    for ns, metric, dims, base, unit in series:
        val = base * load * (1 + rnd.gauss(0, 0.05))
        if metric == "Errors":
            val = max(0.0, rnd.gauss(0.2, 0.3)) + (6.0 if minute >= 95 else 0.0)
        if metric == "Duration" and minute >= 95:
            val *= 2.5
        count = 1 if metric in ("CPUUtilization",) else max(1, int(val)) if metric != "Duration" else 300
        pct = {"p99": round(val * 1.9, 3), "p50": round(val, 3)} if metric == "Duration" else None
        objs.append(dp(ns, metric, dims, ts, (val, count), unit, pct))
    if minute % 10 == 0:
        # Metric streams via Firehose: one gzip record holding many newline-delimited objects.
        lines.append(gz("\n".join(json.dumps(o, separators=(",", ":")) for o in objs).encode() + b"\n"))
    else:
        lines.extend(json.dumps(o, separators=(",", ":")) for o in objs)
# bad and repeated records, on purpose
lines.insert(40, lines[39])  # Kinesis delivers at least once: a repeated record
lines.insert(200, '{"metric_stream_name":"augur-sample","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2","metric_name":"CPUUtilization","dimensions":{"InstanceId":"i-0a1b2c3d4e5f60718"},"timestamp":1735726200000,"value":{"max":NaN,"min":1,"sum":1,"count":1},"unit":"Percent"}')
lines.insert(300, '{"metric_stream_name":"augur-sample","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2",')
full = base64.b64decode(gz("\n".join(json.dumps(dp("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0a1b2c3d4e5f60718"}, T0 + k * 60000, (40.0 + k, 1), "Percent")) for k in range(30)).encode())[7:])
truncated = full[:len(full) // 2]  # a gzip record cut in half in transit
lines.insert(400, "base64:" + base64.b64encode(truncated).decode())

def iso(ms):
    import datetime
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

identity = {"type": "AssumedRole", "principalId": "AROAEXAMPLE:deployer", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/alice",
            "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLE", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
            "arn": f"arn:aws:iam::{ACCOUNT}:role/deployer", "accountId": ACCOUNT, "userName": "deployer"},
            "attributes": {"creationDate": iso(T0), "mfaAuthenticated": "false"}}}

def trail(name, source, minute, req, resp=None, read_only=False, eid=None, error=None):
    r = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": iso(T0 + minute * 60000), "eventSource": source,
         "eventName": name, "awsRegion": REGION, "sourceIPAddress": "203.0.113.10", "userAgent": "aws-cli/2.15.0",
         "requestParameters": req, "responseElements": resp, "requestID": f"req-{minute:04d}-{name}",
         "eventID": eid or f"00000000-0000-4000-8000-{minute:012d}", "readOnly": read_only, "eventType": "AwsApiCall",
         "managementEvent": True, "recipientAccountId": ACCOUNT, "eventCategory": "Management"}
    if error:
        r["errorCode"], r["errorMessage"] = error
    return r

def envelope(detail_type, source, minute, detail, resources=None, eid=None):
    return {"version": "0", "id": eid or f"e0000000-0000-4000-8000-{minute:012d}", "detail-type": detail_type, "source": source,
            "account": ACCOUNT, "time": iso(T0 + minute * 60000), "region": REGION, "resources": resources or [], "detail": detail}

ev = []
ev.append(envelope("AWS API Call via CloudTrail", "aws.lambda", 93, trail("UpdateFunctionConfiguration20150331v2", "lambda.amazonaws.com", 93,
          {"functionName": "checkout-api", "memorySize": 128, "timeout": 3},
          {"functionName": "checkout-api", "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:checkout-api", "memorySize": 128})))
ev.append(envelope("AWS API Call via CloudTrail", "aws.ec2", 20, trail("DescribeInstances", "ec2.amazonaws.com", 20,
          {"instancesSet": {}, "filterSet": {}}, None, read_only=True)))
dep = "d-SAMPLE0001"
for minute, state in ((60, "START"), (66, "SUCCESS")):
    ev.append(envelope("CodeDeploy Deployment State-change Notification", "aws.codedeploy", minute,
              {"region": REGION, "application": "checkout", "deploymentId": dep, "deploymentGroup": "checkout-prod",
               "instanceGroupId": "9f1c3a2b-0000-4000-8000-000000000001", "state": state},
              [f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:checkout/checkout-prod",
               f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:application:checkout"]))
ev.append(envelope("Config Configuration Item Change", "aws.config", 70, {
    "recordVersion": "1.3", "messageType": "ConfigurationItemChangeNotification", "notificationCreationTime": iso(T0 + 70 * 60000),
    "configurationItemDiff": {"changedProperties": {"Configuration.ReadCapacityUnits": {"previousValue": 100, "updatedValue": 60, "changeType": "UPDATE"}},
                              "changeType": "UPDATE"},
    "configurationItem": {"relatedEvents": [], "relationships": [], "configuration": {"tableName": "orders"}, "tags": {"devops-guru-app": "checkout"},
                          "configurationItemVersion": "1.3", "configurationItemCaptureTime": iso(T0 + 70 * 60000), "configurationStateId": 1735729800000,
                          "awsAccountId": ACCOUNT, "configurationItemStatus": "OK", "resourceType": "AWS::DynamoDB::Table", "resourceId": "orders",
                          "resourceName": "orders", "ARN": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders", "awsRegion": REGION,
                          "availabilityZone": "Regional"}}))
log_file = {"Records": [
    trail("ModifyDBInstance", "rds.amazonaws.com", 80, {"dBInstanceIdentifier": "orders-db", "allocatedStorage": 200, "applyImmediately": True},
          {"dBInstanceIdentifier": "orders-db", "dBInstanceClass": "db.r6g.large"}),
    trail("ListFunctions20150331", "lambda.amazonaws.com", 81, {}, None, read_only=True),
    trail("CreateTags", "ec2.amazonaws.com", 82, {"resourcesSet": {"items": [{"resourceId": "i-0a1b2c3d4e5f60718"}]},
          "tagSet": {"items": [{"key": "devops-guru-app", "value": "checkout"}]}}, {"_return": True})]}
ev.append(gz(json.dumps(log_file, separators=(",", ":")).encode()))
cwl = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": "aws-cloudtrail-logs", "logStream": f"{ACCOUNT}_CloudTrail_{REGION}",
       "subscriptionFilters": ["to-kinesis"], "logEvents": [
           {"id": "1", "timestamp": T0 + 85 * 60000, "message": json.dumps(trail("UpdateTable", "dynamodb.amazonaws.com", 85,
               {"tableName": "orders", "provisionedThroughput": {"readCapacityUnits": 40, "writeCapacityUnits": 20}}))},
           {"id": "2", "timestamp": T0 + 86 * 60000, "message": json.dumps(trail("PutFunctionConcurrency", "lambda.amazonaws.com", 86,
               {"functionName": "checkout-api", "reservedConcurrentExecutions": 5}, None, error=("AccessDenied", "not allowed")))}]}
ev.append(gz(json.dumps(cwl, separators=(",", ":")).encode()))
ev.append(gz(json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                         "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": T0, "message": "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}).encode()))
ev_lines = [e if isinstance(e, str) else json.dumps(e, separators=(",", ":")) for e in ev]
ev_lines.append(ev_lines[0])  # EventBridge delivers at least once
ev_lines.append('{"version":"0","id":"x","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2","account":"123456789012","time":"2025-01-01T11:00:00Z","region":"us-east-1","resources":[],"detail":{}}')

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "metrics.ndjson"), "w") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(OUT, "events.ndjson"), "w") as f:
    f.write("\n".join(ev_lines) + "\n")
print(f"wrote {len(lines)} metric records and {len(ev_lines)} event records to {os.path.normpath(OUT)}")
