package io.augur.job.load;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Put replay files into a Kinesis stream, one record per line (binary records as base64:…), in file order: "
                + "simulator output or recorded traffic into kinesis-local, LocalStack or a test stream on AWS.",
                "Example: augur load --stream augur-metrics --endpoint http://127.0.0.1:4567 --create-stream --lines-per-record 100 --gzip augur-sim/metrics.ndjson",
                "kinesis-local gets slower as a shard fills (every put scans the shard): pack metric-stream lines (--lines-per-record) "
                + "and load hours or days of a small fleet there, not weeks."})
public final class LoadCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files or directories of records (one per line; .gz files allowed). "
            + "None with --create-stream: only create the stream.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--stream", required = true, description = "Kinesis stream name.")
    String stream;

    @Option(names = "--region", defaultValue = "${env:AWS_REGION:-us-east-1}", description = "AWS region (default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--endpoint", description = "Endpoint override, e.g. http://127.0.0.1:4567 for kinesis-local. With an endpoint, "
            + "credentials are $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY or, if unset, the dummy pair emulators accept.")
    URI endpoint;

    @Option(names = "--create-stream", description = "Create the stream (with --shards shards) if it does not exist.")
    boolean createStream;

    @Option(names = "--shards", defaultValue = "1", description = "Shards for --create-stream (default: ${DEFAULT-VALUE}; one shard keeps every record in order).")
    int shards;

    @Option(names = "--rate", defaultValue = "0", description = "Records per second; 0 = as fast as the stream accepts (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--lines-per-record", defaultValue = "1", description = "Pack up to this many consecutive text lines of a file into one "
            + "newline-delimited record (at most 1 MiB), as a CloudWatch metric stream's JSON output arrives through Firehose; "
            + "binary (base64:) lines always go alone (default: ${DEFAULT-VALUE}). For metric-stream files, not for change events.")
    int linesPerRecord;

    @Option(names = "--gzip", description = "gzip-compress every text record, as Firehose does with GZIP compression on.")
    boolean gzip;

    @Override
    public Integer call() throws Exception {
        if (shards < 1) {
            System.err.println("augur: --shards must be at least 1");
            return 2;
        }
        if (linesPerRecord < 1) {
            System.err.println("augur: --lines-per-record must be at least 1");
            return 2;
        }
        if (files.isEmpty() && !createStream) {
            System.err.println("augur: nothing to load: give files or directories of records (or --create-stream to only create the stream)");
            return 2;
        }
        try (KinesisClient client = client()) {
            if (createStream) KinesisLoader.ensureStream(client, stream, shards);
            if (files.isEmpty()) {
                System.out.println("stream " + stream + " is ACTIVE");
                return 0;
            }
            long t0 = System.nanoTime();
            KinesisLoader.Result r;
            try {
                r = new KinesisLoader(client, stream, rate, linesPerRecord, gzip).load(files);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("augur: " + e.getMessage());
                return 2;
            }
            System.out.printf("loaded %,d records (%s%,d bytes) into %s in %.1f s%s%n", r.records(),
                    r.lines() != r.records() ? String.format("%,d lines, ", r.lines()) : "", r.bytes(), stream,
                    (System.nanoTime() - t0) / 1e9, r.retried() > 0 ? " (" + r.retried() + " retried after throttling)" : "");
            return 0;
        }
    }

    private KinesisClient client() {
        KinesisClientBuilder b = KinesisClient.builder().region(Region.of(region));
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (endpoint != null) {
            // kinesis-local scans a shard on every put: with a day of records in it, a call can take longer than 30 s
            b.endpointOverride(endpoint).httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofMinutes(3)));
            String key = System.getenv("AWS_ACCESS_KEY_ID");
            String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
            credentials = key != null && secret != null ? StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret))
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return b.credentialsProvider(credentials).build();
    }
}
