package io.augur.job.load;

import io.augur.job.cli.AugurCli;
import io.augur.job.testing.KinesisLocal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code augur load} against kinesis-local: every line becomes one record, in order, with the bytes the line stands for. */
class LoadCommandTest {
    private static KinesisLocal kinesis;

    @BeforeAll
    static void start() throws Exception {
        kinesis = KinesisLocal.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kinesis != null) kinesis.close();
    }

    @Test
    void everyLineOfEveryFileIsOneRecordInOrderAcrossBatches(@TempDir Path tmp) throws Exception {
        // 1,203 text lines: three PutRecords calls (500 + 500 + 203)
        List<byte[]> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1203; i++) {
            String line = "{\"metric_name\":\"Latency\",\"value\":{\"sum\":" + i + "}}";
            text.append(line).append('\n');
            if (i == 600) text.append("\n   \n"); // blank lines are no records
            expected.add(line.getBytes(StandardCharsets.UTF_8));
        }
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(dir.resolve("a-metrics.ndjson"), text);
        // a binary record (gzip bytes) as base64:, in a gzip-compressed file that sorts after the first one
        byte[] binary = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b-binary.ndjson.gz")))) {
            out.write(("base64:" + Base64.getEncoder().encodeToString(binary) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        expected.add(binary);

        Run run = run("load", "--stream", "load-test", "--endpoint", kinesis.endpoint(), "--create-stream", dir.toString());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("loaded 1,204 records").contains("into load-test");
        List<Record> read = readAll("load-test");
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) assertThat(read.get(i).data().asByteArray()).as("record %d", i).isEqualTo(expected.get(i));
        assertThat(read.get(0).partitionKey()).isEqualTo("a-metrics.ndjson:1");
        assertThat(read.get(601).partitionKey()).isEqualTo("a-metrics.ndjson:604"); // line numbers count the blank lines
        assertThat(read.get(1203).partitionKey()).isEqualTo("b-binary.ndjson.gz:1");
    }

    @Test
    void packedTextLinesBecomeGzippedNewlineDelimitedRecordsThatABinaryLineAndTheEndOfAFileClose(@TempDir Path tmp) throws Exception {
        // file a: 7 lines, a binary line, 3 lines; file b: 2 lines. Packs of at most 3: [1-3] [4-6] [7] bin [9-11] | [b1-b2]
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 11; i++) a.add(i == 8 ? "base64:" + Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}) : "{\"n\":" + i + "}");
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.write(dir.resolve("a.ndjson"), a);
        Files.write(dir.resolve("b.ndjson"), List.of("{\"n\":\"b1\"}", "", "{\"n\":\"b2\"}"));

        Run run = run("load", "--stream", "load-packed", "--endpoint", kinesis.endpoint(), "--create-stream",
                "--lines-per-record", "3", "--gzip", dir.toString());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("loaded 6 records (13 lines, ");
        List<Record> read = readAll("load-packed");
        assertThat(read).extracting(Record::partitionKey)
                .containsExactly("a.ndjson:1", "a.ndjson:4", "a.ndjson:7", "a.ndjson:8", "a.ndjson:9", "b.ndjson:1");
        assertThat(gunzip(read.get(0).data().asByteArray())).isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}");
        assertThat(gunzip(read.get(2).data().asByteArray())).isEqualTo("{\"n\":7}");
        assertThat(read.get(3).data().asByteArray()).as("binary records are put as they are").containsExactly(0, 1, 2);
        assertThat(gunzip(read.get(4).data().asByteArray())).isEqualTo("{\"n\":9}\n{\"n\":10}\n{\"n\":11}");
        assertThat(gunzip(read.get(5).data().asByteArray())).isEqualTo("{\"n\":\"b1\"}\n{\"n\":\"b2\"}");

        Run bad = run("load", "--stream", "load-packed", "--endpoint", kinesis.endpoint(), "--lines-per-record", "0", dir.toString());
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).contains("--lines-per-record must be at least 1");
    }

    private static String gunzip(byte[] data) throws java.io.IOException {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void withoutFilesItOnlyCreatesTheStreamAndWithoutEitherItSaysWhatIsMissing() throws Exception {
        Run create = run("load", "--stream", "load-create", "--endpoint", kinesis.endpoint(), "--create-stream", "--shards", "2");
        assertThat(create.exit).as(create.err).isZero();
        assertThat(create.out).contains("stream load-create is ACTIVE");
        assertThat(kinesis.client().listShards(b -> b.streamName("load-create")).shards()).hasSize(2);
        Run again = run("load", "--stream", "load-create", "--endpoint", kinesis.endpoint(), "--create-stream");
        assertThat(again.exit).as("an existing stream is fine").isZero();

        Run nothing = run("load", "--stream", "load-create", "--endpoint", kinesis.endpoint());
        assertThat(nothing.exit).isEqualTo(2);
        assertThat(nothing.err).contains("nothing to load");
    }

    @Test
    void aMissingFileOrAnOversizedRecordIsAnErrorThatSaysWhy(@TempDir Path tmp) throws Exception {
        kinesis.createStream("load-errors", 1);
        Run missing = run("load", "--stream", "load-errors", "--endpoint", kinesis.endpoint(), tmp.resolve("nope.ndjson").toString());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("nope.ndjson does not exist");

        Path big = tmp.resolve("big.ndjson");
        Files.writeString(big, "{\"ok\":1}\n" + "x".repeat(1024 * 1024 + 1) + "\n");
        Run oversized = run("load", "--stream", "load-errors", "--endpoint", kinesis.endpoint(), big.toString());
        assertThat(oversized.exit).isEqualTo(2);
        assertThat(oversized.err).contains("big.ndjson:2").contains("over Kinesis's 1 MiB limit");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = AugurCli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every record of a one-shard stream, oldest first. */
    private static List<Record> readAll(String stream) {
        String shard = kinesis.client().listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.client().getShardIterator(b -> b.streamName(stream).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 100 && iterator != null; i++) {
            String it = iterator;
            GetRecordsResponse r = kinesis.client().getRecords(b -> b.shardIterator(it).limit(10_000));
            out.addAll(r.records());
            if (r.records().isEmpty() && r.millisBehindLatest() != null && r.millisBehindLatest() == 0) break;
            iterator = r.nextShardIterator();
        }
        return out;
    }
}
