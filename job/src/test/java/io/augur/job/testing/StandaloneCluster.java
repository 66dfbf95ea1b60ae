package io.augur.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink session cluster: a JobManager ({@link StandaloneSessionClusterEntrypoint}) and a TaskManager
 * ({@link TaskManagerRunner}) as two separate JVMs on 127.0.0.1, started the way Flink's own scripts start them (JVM
 * memory flags computed from the configuration, {@code env.java.opts.*}, {@code --configDir} plus {@code -D} overrides),
 * with the Flink runtime from Maven ({@code job/target/provided-classpath.txt}, written by {@code package}) instead of a
 * distribution's lib/. Ports are free ones; every directory and log is under {@code work}. {@link #close()} kills both
 * JVMs by PID.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120); // a bound for failures: a loaded 2-core CI machine took 55 s
    private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    private final Path work;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();

    private StandaloneCluster(Path work, int restPort) {
        this.work = work;
        this.restPort = restPort;
    }

    /**
     * Starts a JobManager and a TaskManager from the Flink configuration in {@code confDir} (copied into {@code work}),
     * with ports and directories overridden, and waits until the TaskManager has registered its slots.
     */
    public static StandaloneCluster start(Path confDir, Path work) throws Exception {
        String classpath = flinkClasspath();
        Path conf = Files.createDirectories(work.resolve("conf"));
        try (var files = Files.list(confDir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, conf.resolve(f.getFileName()));
        }
        Path logDir = Files.createDirectories(work.resolve("log"));
        StandaloneCluster cluster = new StandaloneCluster(work, freePort());
        Map<String, String> dynamic = new LinkedHashMap<>();
        dynamic.put("rest.port", String.valueOf(cluster.restPort));
        dynamic.put("rest.address", "127.0.0.1");
        dynamic.put("rest.bind-address", "127.0.0.1");
        dynamic.put("jobmanager.rpc.address", "127.0.0.1");
        dynamic.put("jobmanager.rpc.port", String.valueOf(freePort()));
        dynamic.put("jobmanager.bind-host", "127.0.0.1");
        dynamic.put("taskmanager.host", "127.0.0.1");
        dynamic.put("taskmanager.bind-host", "127.0.0.1");
        dynamic.put("taskmanager.rpc.port", "0");
        dynamic.put("taskmanager.data.port", "0");
        dynamic.put("blob.server.port", "0");
        dynamic.put("metrics.internal.query-service.port", "0");
        dynamic.put("io.tmp.dirs", Files.createDirectories(work.resolve("tmp")).toString());
        dynamic.put("web.upload.dir", Files.createDirectories(work.resolve("upload")).toString());
        dynamic.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        dynamic.put("execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
        Configuration dyn = new Configuration();
        dynamic.forEach(dyn::setString);
        Configuration effective = GlobalConfiguration.loadConfiguration(conf.toString(), dyn);

        try {
            JobManagerProcessSpec jmSpec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
                    effective, JobManagerOptions.JVM_HEAP_MEMORY);
            List<String> jmJvm = split(JobManagerProcessUtils.generateJvmParametersStr(jmSpec, effective));
            cluster.launch("jobmanager", StandaloneSessionClusterEntrypoint.class.getName(), classpath, conf, logDir, effective,
                    jmJvm, CoreOptions.FLINK_JM_JVM_OPTIONS.key(), dynamic, split(JobManagerProcessUtils.generateDynamicConfigsStr(jmSpec)));
            cluster.awaitRest();

            TaskExecutorProcessSpec tmSpec = TaskExecutorProcessUtils.processSpecFromConfig(
                    TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(effective, TaskManagerOptions.TOTAL_FLINK_MEMORY));
            cluster.launch("taskmanager", TaskManagerRunner.class.getName(), classpath, conf, logDir, effective,
                    split(ProcessMemoryUtils.generateJvmParametersStr(tmSpec)), CoreOptions.FLINK_TM_JVM_OPTIONS.key(), dynamic,
                    split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tmSpec)));
            cluster.awaitSlots(effective.get(TaskManagerOptions.NUM_TASK_SLOTS));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * What a Flink distribution's lib/ holds, from Maven: the job's {@code provided} dependencies (written by {@code package}
     * to {@code job/target/provided-classpath.txt}) plus the third-party jars of this test's classpath. The second part
     * is there because a library both Flink and the job use (commons-lang3, ...) is {@code compile} scope for Maven and so
     * missing from the provided list. Left out: project classes and every other {@code org.apache.flink} artifact but flink-cep (the
     * connectors, flink-avro): those come from the job jar, as on a real cluster, where loading them parent-first from
     * the cluster's classpath would split them from the Avro and AWS classes the job jar loads child-first.
     */
    static String flinkClasspath() throws IOException {
        Path classpathFile = KinesisLocal.repoRoot().resolve("job/target/provided-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: it is written by `mvn package` (run the cluster test with `mvn verify`)");
        }
        String sep = java.io.File.pathSeparator;
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>(Arrays.asList(Files.readString(classpathFile).trim().split(sep)));
        for (String e : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(sep)) {
            String unix = e.replace('\\', '/');
            // flink-cep is in a Flink distribution's lib/ (the table planner needs it for MATCH_RECOGNIZE and scans its classes)
            boolean distributionLib = unix.contains("/org/apache/flink/flink-cep/");
            if (e.isBlank() || !e.endsWith(".jar") || (unix.contains("/org/apache/flink/") && !distributionLib)
                    || unix.contains("/io/augur/") || unix.contains("/target/")) continue; // Augur's own modules come in the job jar
            entries.add(e);
        }
        return String.join(sep, entries);
    }

    private void launch(String name, String mainClass, String classpath, Path conf, Path logDir, Configuration effective,
                        List<String> memoryFlags, String roleOptsKey, Map<String, String> dynamic, List<String> memoryDynamic) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(memoryFlags);
        // what bin/jobmanager.sh and bin/taskmanager.sh add: default and user JVM options, general and per role
        for (String key : List.of(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS.key(), CoreOptions.FLINK_JVM_OPTIONS.key(),
                roleOptsKey.replace("env.java.opts", "env.java.default-opts"), roleOptsKey)) {
            cmd.addAll(split(effective.getString(key, "")));
        }
        Path log = logDir.resolve(name + ".log");
        cmd.add("-Dlog.file=" + log);
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        dynamic.forEach((k, v) -> {
            cmd.add("-D");
            cmd.add(k + "=" + v);
        });
        cmd.addAll(memoryDynamic);
        Path out = logDir.resolve(name + ".out");
        Files.writeString(logDir.resolve(name + ".cmd"), String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        logs.put(name + ".log", log);
        logs.put(name + ".out", out);
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    private void awaitRest() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                if (get("/overview").has("flink-version")) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the JobManager's REST API did not answer within " + START_TIMEOUT.toSeconds() + " s\n" + logTails());
    }

    private void awaitSlots(int slots) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            JsonNode overview = get("/overview");
            if (overview.path("taskmanagers").asInt() == 1 && overview.path("slots-total").asInt() == slots) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException("the TaskManager did not register " + slots + " slots within " + START_TIMEOUT.toSeconds() + " s\n" + logTails());
    }

    private void assertAlive() {
        for (Process p : processes) {
            if (!p.isAlive()) throw new IllegalStateException("a Flink process (pid " + p.pid() + ") exited with " + p.exitValue() + "\n" + logTails());
        }
    }

    /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id. */
    public String uploadJar(Path jar) throws Exception {
        String boundary = "augur-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        JsonNode r = send(req);
        if (!"success".equals(r.path("status").asText())) throw new IllegalStateException("jar upload failed: " + r);
        return Path.of(r.get("filename").asText()).getFileName().toString();
    }

    /** {@code POST /jars/:id/run}; returns the job id. */
    public String runJar(String jarId, String entryClass, List<String> programArgs, int parallelism) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", entryClass);
        body.put("programArgsList", programArgs);
        body.put("parallelism", parallelism);
        HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/" + jarId + "/run")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        JsonNode r = send(req);
        if (!r.hasNonNull("jobid")) throw new IllegalStateException("job submission failed: " + r + "\n" + logTails());
        return r.get("jobid").asText();
    }

    public String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Polls the job until it is FINISHED, FAILED or CANCELED, or the timeout passes; returns the last state seen. */
    public String awaitTerminal(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = jobState(jobId);
        while (!TERMINAL.contains(state) && System.nanoTime() < deadline) {
            assertAlive();
            Thread.sleep(250);
            state = jobState(jobId);
        }
        return state;
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    public void cancel(String jobId) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel")).timeout(Duration.ofSeconds(10))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The job's root exception and history ({@code GET /jobs/:id/exceptions}), for failure messages. */
    public String exceptions(String jobId) {
        try {
            return get("/jobs/" + jobId + "/exceptions").toPrettyString();
        } catch (Exception e) {
            return "(exceptions unavailable: " + e + ")";
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private JsonNode send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException(req.method() + " " + req.uri().getPath() + " -> " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Where the processes' logs and command lines are. */
    public Path logDir() {
        return work.resolve("log");
    }

    /** The last lines of every log and stdout file, for failure messages. */
    public String logTails() {
        StringBuilder sb = new StringBuilder("Flink logs in " + logDir() + ":\n");
        for (Map.Entry<String, Path> e : logs.entrySet()) {
            sb.append("---- ").append(e.getKey()).append(" (last lines)\n").append(tail(e.getValue(), 6000)).append('\n');
        }
        return sb.toString();
    }

    private static String tail(Path file, int chars) {
        if (!Files.exists(file)) return "(none)";
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - chars);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the TaskManager, then the JobManager, by PID, and waits for both to be gone. */
    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("Flink process " + p.pid() + " did not exit");
        }
    }

    private static List<String> split(String flags) {
        String t = flags == null ? "" : flags.trim();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
