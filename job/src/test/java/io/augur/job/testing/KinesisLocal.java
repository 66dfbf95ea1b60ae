package io.augur.job.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.File;
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
import java.util.concurrent.TimeUnit;

/**
 * kinesis-local (kinesis-mock, from the repo's package.json) on 127.0.0.1, plain HTTP on a free port. Installed with
 * {@code npm ci} when missing. It ignores SIGTERM, so {@link #close()} kills it with SIGKILL by PID.
 */
public final class KinesisLocal implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";
    private final Process process;
    private final int port;
    private final Path log;
    private final KinesisClient client;

    private KinesisLocal(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.client = KinesisClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    public static KinesisLocal start() throws Exception {
        Path root = repoRoot();
        Path main = root.resolve("node_modules/kinesis-local/main.js");
        if (!Files.exists(main)) {
            run(root, "npm", "ci", "--no-audit", "--no-fund");
            if (!Files.exists(main)) {
                throw new IllegalStateException("kinesis-local is not installed: run `npm ci` in " + root);
            }
        }
        int plain = freePort();
        int tls = freePort();
        Path log = Files.createTempFile("kinesis-local", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", main.toString())
                .directory(main.getParent().toFile()) // it loads server.json (its TLS certificate) from the working directory
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(plain));
        pb.environment().put("KINESIS_MOCK_TLS_PORT", String.valueOf(tls));
        pb.environment().put("AWS_REGION", REGION);
        pb.environment().put("AWS_ACCOUNT_ID", ACCOUNT);
        pb.environment().put("CREATE_STREAM_DURATION", "0ms");
        pb.environment().put("LOG_LEVEL", "WARN");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("kinesis-local exited: " + Files.readString(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", plain), 200);
                KinesisLocal k = new KinesisLocal(p, plain, log);
                k.client.listStreams(); // the port answers before the API does
                return k;
            } catch (IOException | RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("kinesis-local did not start within 60 s: " + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public KinesisClient client() {
        return client;
    }

    public String createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        for (int i = 0; i < 100; i++) {
            if (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE) {
                return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + name;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("stream " + name + " did not become ACTIVE");
    }

    /** Puts every payload (PutRecords, 100 a call); retries entries the server reports as failed. */
    public void put(String stream, List<byte[]> payloads) {
        List<PutRecordsRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            pending.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromByteArray(payloads.get(i))).build());
        }
        for (int from = 0; from < pending.size(); from += 100) {
            List<PutRecordsRequestEntry> batch = pending.subList(from, Math.min(pending.size(), from + 100));
            for (int attempt = 0; !batch.isEmpty(); attempt++) {
                if (attempt > 10) throw new IllegalStateException("kinesis-local keeps rejecting records");
                List<PutRecordsRequestEntry> b = batch;
                PutRecordsResponse r = client.putRecords(x -> x.streamName(stream).records(b));
                List<PutRecordsRequestEntry> failed = new ArrayList<>();
                for (int i = 0; i < r.records().size(); i++) if (r.records().get(i).errorCode() != null) failed.add(b.get(i));
                batch = failed;
            }
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        // SIGKILL by PID: kinesis-mock ignores SIGTERM.
        new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        process.waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(log);
    }

    public static Path repoRoot() {
        File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
        while (dir != null) {
            if (new File(dir, "package.json").exists() && new File(dir, "augur").exists()) return dir.toPath();
            dir = dir.getParentFile();
        }
        throw new IllegalStateException("cannot find the repository root (with package.json) above " + System.getProperty("user.dir"));
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 5 minutes");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static Duration timeout() {
        return Duration.ofMinutes(3);
    }
}
