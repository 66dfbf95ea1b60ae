"""Creates what Augur's notification sinks deliver to in the AWS emulator (moto): an SNS topic, an EventBridge bus, and
SQS queues that receive both, so deliveries can be read back. Idempotent: creating what exists returns it.
Run by docker compose (service aws-init); AWS_ENDPOINT_URL points at the emulator."""
import json
import os

import boto3

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "http://aws:5000")


def client(service):
    return boto3.client(service, region_name=REGION, endpoint_url=ENDPOINT,
                        aws_access_key_id="test", aws_secret_access_key="test")


def queue(sqs, name, allow_from_arn, service_principal):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service_principal}, "Action": "sqs:SendMessage",
        "Resource": arn, "Condition": {"ArnEquals": {"aws:SourceArn": allow_from_arn}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return url, arn


def main():
    sns, events, sqs = client("sns"), client("events"), client("sqs")
    topic = sns.create_topic(Name="augur-insights")["TopicArn"]
    _, topic_queue = queue(sqs, "augur-insights-sns", topic, "sns.amazonaws.com")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=topic_queue, Attributes={"RawMessageDelivery": "true"})

    try:
        bus = events.create_event_bus(Name="augur")["EventBusArn"]
    except events.exceptions.ResourceAlreadyExistsException:
        bus = events.describe_event_bus(Name="augur")["Arn"]
    rule = events.put_rule(Name="augur-insights-to-sqs", EventBusName="augur",
                           EventPattern=json.dumps({"source": [{"prefix": "augur"}]}))["RuleArn"]
    _, bus_queue = queue(sqs, "augur-insights-events", rule, "events.amazonaws.com")
    events.put_targets(Rule="augur-insights-to-sqs", EventBusName="augur", Targets=[{"Id": "sqs", "Arn": bus_queue}])

    print(json.dumps({"topic": topic, "topicQueue": topic_queue, "bus": bus, "busQueue": bus_queue}))


if __name__ == "__main__":
    main()
