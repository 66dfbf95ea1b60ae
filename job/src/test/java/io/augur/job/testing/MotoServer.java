package io.augur.job.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * moto's server (started and stopped by {@link io.augur.ops.testing.MotoServer}) with SNS, SQS and EventBridge clients
 * and SQS read-back helpers. Needs python3 with moto (CI checks it in .ci/run).
 */
public final class MotoServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = io.augur.ops.testing.MotoServer.ACCOUNT;
    private final io.augur.ops.testing.MotoServer server;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final EventBridgeClient events;

    private MotoServer(io.augur.ops.testing.MotoServer server) {
        this.server = server;
        URI uri = URI.create(server.endpoint());
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                io.augur.ops.testing.MotoServer.ACCESS_KEY, io.augur.ops.testing.MotoServer.SECRET_KEY));
        this.sns = SnsClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
        this.sqs = SqsClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
        this.events = EventBridgeClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
    }

    /** Started once moto answers an SNS call (it accepts connections a little before it serves them). */
    public static MotoServer start() throws Exception {
        MotoServer m = new MotoServer(io.augur.ops.testing.MotoServer.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                m.sns.listTopics();
                return m;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    m.close();
                    throw new IllegalStateException("moto did not answer SNS within 60 s", notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    public String endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.port();
    }

    public SnsClient sns() {
        return sns;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public EventBridgeClient events() {
        return events;
    }

    /** A queue (FIFO when the name ends in .fifo) that accepts messages from SNS and EventBridge; returns its URL. */
    public String queue(String name) {
        Map<QueueAttributeName, String> attrs = new java.util.HashMap<>();
        if (name.endsWith(".fifo")) attrs.put(QueueAttributeName.FIFO_QUEUE, "true");
        return sqs.createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
    }

    public String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Reads until {@code expected} messages arrived or nothing new came for {@code quiet}; deletes what it read. */
    public List<Message> drain(String queueUrl, int expected, Duration timeout, Duration quiet) throws InterruptedException {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastNew = System.nanoTime();
        while (System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            if (!batch.isEmpty()) {
                out.addAll(batch);
                lastNew = System.nanoTime();
                for (Message m : batch) sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            } else if (out.size() >= expected && System.nanoTime() - lastNew > quiet.toNanos()) {
                break;
            }
        }
        return out;
    }

    @Override
    public void close() {
        sns.close();
        sqs.close();
        events.close();
        server.close();
    }
}
