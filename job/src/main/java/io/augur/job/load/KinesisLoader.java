package io.augur.job.load;

import io.augur.job.source.ReplaySources;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Puts replay files into a Kinesis stream, one Kinesis record per line (the replay line format: text as its UTF-8
 * bytes, {@code base64:<data>} for binary records), in file order, with PutRecords (at most 500 records and 5 MiB a
 * call). Entries the service rejects (throughput exceeded) are retried with backoff, in their original order.
 *
 * <p>Optionally text lines are packed the way a CloudWatch metric stream's JSON output reaches Kinesis through
 * Firehose: up to {@code linesPerRecord} consecutive lines of one file in one record, newline-delimited (never more
 * than 1 MiB of lines; a binary line ends the pack and goes alone), and gzip-compressed with {@code gzip}. The job
 * reads the same items either way; packed, a day of a small fleet is a few hundred records instead of tens of thousands
 * (which matters for kinesis-local, whose puts slow down as a shard fills).
 */
public final class KinesisLoader {
    /** Kinesis limits: records per PutRecords call, bytes per call (data plus partition keys), bytes per record. */
    static final int MAX_BATCH_RECORDS = 500;
    static final long MAX_BATCH_BYTES = 5L * 1024 * 1024;
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final int MAX_ATTEMPTS = 10;

    /** {@code lines} read, {@code records} put (fewer than lines when packed), their {@code bytes}, entries {@code retried}. */
    public record Result(long lines, long records, long bytes, long retried) {}

    private final KinesisClient client;
    private final String stream;
    private final double recordsPerSecond;
    private final int linesPerRecord;
    private final boolean gzip;
    private final ByteArrayOutputStream pack = new ByteArrayOutputStream();
    private int packLines;
    private String packKey;
    private long lines;
    private final List<PutRecordsRequestEntry> batch = new ArrayList<>();
    private long batchBytes;
    private long records;
    private long bytes;
    private long retried;
    private final long startNanos = System.nanoTime();

    /** {@code recordsPerSecond} 0 = as fast as the stream takes them. */
    public KinesisLoader(KinesisClient client, String stream, double recordsPerSecond) {
        this(client, stream, recordsPerSecond, 1, false);
    }

    /**
     * {@code linesPerRecord} > 1: consecutive text lines packed into one newline-delimited record; {@code gzip}: every
     * text record gzip-compressed (binary {@code base64:} records are put as they are).
     */
    public KinesisLoader(KinesisClient client, String stream, double recordsPerSecond, int linesPerRecord, boolean gzip) {
        if (linesPerRecord < 1) throw new IllegalArgumentException("lines per record must be at least 1, got " + linesPerRecord);
        this.client = client;
        this.stream = stream;
        this.recordsPerSecond = recordsPerSecond;
        this.linesPerRecord = linesPerRecord;
        this.gzip = gzip;
    }

    /** Creates the stream with {@code shards} shards unless it exists, and waits until it is ACTIVE. */
    public static void ensureStream(KinesisClient client, String stream, int shards) throws InterruptedException {
        try {
            client.describeStreamSummary(b -> b.streamName(stream));
        } catch (ResourceNotFoundException missing) {
            client.createStream(b -> b.streamName(stream).shardCount(shards));
        }
        for (int i = 0; i < 300; i++) {
            if (client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("stream " + stream + " did not become ACTIVE within 60 s");
    }

    /** Every line of every file (directories: their files, sorted by name; {@code .gz} files decompressed). */
    public Result load(List<Path> paths) throws IOException, InterruptedException {
        for (Path p : expand(paths)) {
            try (InputStream raw = Files.newInputStream(p);
                 InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                long lineNo = 0;
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    lines++;
                    String key = p.getFileName() + ":" + lineNo;
                    if (line.startsWith(ReplaySources.BASE64_PREFIX)) {
                        closePack();
                        add(ReplaySources.recordBytes(line), key);
                    } else {
                        text(line.getBytes(StandardCharsets.UTF_8), key);
                    }
                }
            }
            closePack(); // a pack never spans files: its partition key names the file and line it starts at
        }
        flush();
        return new Result(lines, records, bytes, retried);
    }

    private void text(byte[] line, String key) throws IOException, InterruptedException {
        if (linesPerRecord == 1) {
            add(gzip ? gzip(line) : line, key);
            return;
        }
        if (packLines > 0 && pack.size() + 1 + line.length > MAX_RECORD_BYTES) closePack();
        if (packLines == 0) {
            packKey = key;
        } else {
            pack.write('\n');
        }
        pack.write(line);
        packLines++;
        if (packLines == linesPerRecord) closePack();
    }

    private void closePack() throws IOException, InterruptedException {
        if (packLines == 0) return;
        byte[] data = pack.toByteArray();
        pack.reset();
        packLines = 0;
        add(gzip ? gzip(data) : data, packKey);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException(p + " does not exist");
            }
        }
        return out;
    }

    private void add(byte[] data, String partitionKey) throws InterruptedException {
        if (data.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(partitionKey + ": a record of " + data.length + " bytes is over Kinesis's 1 MiB limit");
        }
        long size = data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        if (batch.size() == MAX_BATCH_RECORDS || batchBytes + size > MAX_BATCH_BYTES) flush();
        batch.add(PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)).build());
        batchBytes += size;
    }

    private void flush() throws InterruptedException {
        if (batch.isEmpty()) return;
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<PutRecordsRequestEntry> sending = pending;
            PutRecordsResponse response = client.putRecords(b -> b.streamName(stream).records(sending));
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) failed.add(sending.get(i));
                else bytes += sending.get(i).data().asByteArrayUnsafe().length;
            }
            records += sending.size() - failed.size();
            if (!failed.isEmpty()) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(failed.size() + " records still rejected by " + stream + " after " + MAX_ATTEMPTS
                            + " attempts (last error: " + results.stream().filter(e -> e.errorCode() != null).findFirst()
                            .map(e -> e.errorCode() + " " + e.errorMessage()).orElse("?") + "): add shards or load with --rate");
                }
                retried += failed.size();
                Thread.sleep(Math.min(5_000, 100L << attempt));
            }
            pending = failed;
        }
        batch.clear();
        batchBytes = 0;
        pace();
    }

    private void pace() throws InterruptedException {
        if (recordsPerSecond <= 0) return;
        long due = startNanos + (long) (records / recordsPerSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}
