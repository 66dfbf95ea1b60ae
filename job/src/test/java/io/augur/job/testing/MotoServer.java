package io.augur.job.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code python3 -m moto.server}) on 127.0.0.1 and a free port, for SNS, SQS and EventBridge. Started
 * by the test, killed (by PID) when closed. Needs python3 with moto (CI checks it in .ci/run).
 */
public final class MotoServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    private final Process process;
    private final int port;
    private final Path log;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final EventBridgeClient events;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        URI uri = URI.create(endpoint());
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        this.sns = SnsClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
        this.sqs = SqsClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
        this.events = EventBridgeClient.builder().endpointOverride(uri).region(Region.of(REGION)).credentialsProvider(creds).build();
    }

    public static MotoServer start() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("moto", ".log");
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MOTO_ACCOUNT_ID", ACCOUNT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto: needs python3 with moto[server] (pip install 'moto[server]')", e);
        }
        Process started = p;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // also when the test JVM is stopped
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("moto exited (is moto installed for python3?): " + Files.readString(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                MotoServer m = new MotoServer(p, port, log);
                m.sns.listTopics();
                return m;
            } catch (IOException | RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto did not start within 60 s: " + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
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
    public void close() throws Exception {
        sns.close();
        sqs.close();
        events.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
