package io.augur.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}: no Docker engine runs in CI, so the file is checked instead: the services, pinned image
 * tags (Flink's the pom's version, kinesis-local the tests' version), loopback ports, healthchecks, volumes, the jar
 * mount, start order, and that the job configuration it submits matches the emulators it starts.
 */
class DockerComposeTest {
    private static final Path ROOT = DeployFiles.root();
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws Exception {
        compose = DeployFiles.yaml(ROOT.resolve("docker-compose.yml"));
        services = compose.get("services");
    }

    @Test
    void theServicesAreTheClusterTheEmulatorsTheDatabaseTheLoaderAndTheSubmission() {
        assertThat(names(services)).containsExactlyInAnyOrder(
                "jobmanager", "taskmanager", "kinesis", "aws", "aws-init", "postgres", "streams", "loader", "submit");
        assertThat(services.at("/jobmanager/entrypoint").toString()).contains("/docker-entrypoint.sh jobmanager");
        assertThat(services.at("/taskmanager/entrypoint").toString()).contains("/docker-entrypoint.sh taskmanager");
    }

    @Test
    void everyImageIsPinnedAndFlinkIsTheVersionAugurBuildsAgainst() throws Exception {
        String flinkVersion = pomProperty("flink.version");
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            String image = s.getValue().path("image").asText();
            assertThat(image).as(s.getKey() + " image").matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*").doesNotContain(":latest");
            if (image.startsWith("flink:")) assertThat(image).as(s.getKey()).isEqualTo("flink:" + flinkVersion + "-java17");
        }
        assertThat(services.at("/jobmanager/image").asText()).startsWith("flink:1.20.");
        // the Kinesis emulator is the kinesis-local version the tests run (package.json)
        String kinesisLocal = DeployFiles.JSON.readTree(ROOT.resolve("package.json").toFile()).at("/devDependencies/kinesis-local").asText();
        assertThat(services.at("/kinesis/command").toString()).contains("kinesis-local@" + kinesisLocal);
        assertThat(services.at("/aws/image").asText()).startsWith("motoserver/moto:5.");
        assertThat(services.at("/postgres/image").asText()).startsWith("postgres:");
    }

    @Test
    void publishedPortsAreOnLoopbackAndLongRunningServicesHaveHealthchecks() {
        assertThat(ports("jobmanager")).containsExactly("127.0.0.1:8081:8081");
        assertThat(ports("kinesis")).containsExactly("127.0.0.1:4567:4567");
        assertThat(ports("aws")).containsExactly("127.0.0.1:5000:5000");
        assertThat(ports("postgres")).containsExactly("127.0.0.1:5432:5432");
        for (String s : List.of("jobmanager", "taskmanager", "kinesis", "aws", "postgres")) {
            JsonNode hc = services.get(s).get("healthcheck");
            assertThat(hc).as(s + " healthcheck").isNotNull();
            assertThat(hc.path("test").get(0).asText()).as(s).isIn("CMD", "CMD-SHELL");
            assertThat(hc.path("interval").asText()).as(s).matches("\\d+s");
            assertThat(hc.path("retries").asInt()).as(s).isPositive();
        }
        assertThat(services.at("/jobmanager/healthcheck/test").toString()).contains("/dev/tcp/127.0.0.1/8081").contains("/overview");
        assertThat(services.at("/kinesis/healthcheck/test").toString()).contains("4567");
        assertThat(services.at("/aws/healthcheck/test").toString()).contains("5000");
        assertThat(services.at("/postgres/healthcheck/test").toString()).contains("pg_isready");
        // one-shot services are retried rather than health-checked
        for (String s : List.of("aws-init", "streams", "loader", "submit")) assertThat(services.at("/" + s + "/restart").asText()).isEqualTo("on-failure");
    }

    @Test
    void theJarAndConfigurationAreMountedAndStateLivesInNamedVolumes() throws Exception {
        String jarMount = "./job/target/augur-job.jar:/opt/augur/augur-job.jar:ro";
        assertThat(volumes("submit")).contains(jarMount, "./deploy/compose/augur.yaml:/opt/augur/augur.yaml:ro");
        assertThat(volumes("loader")).contains(jarMount, "sim-data:/sim");
        assertThat(volumes("streams")).contains(jarMount);
        assertThat(volumes("aws-init")).contains("./deploy/compose/aws-init.py:/opt/augur/aws-init.py:ro");
        assertThat(volumes("jobmanager")).contains("flink-state:/flink-state");
        assertThat(volumes("taskmanager")).contains("flink-state:/flink-state", "augur-output:/augur-output");
        assertThat(volumes("postgres")).contains("postgres-data:/var/lib/postgresql/data");

        Set<String> declared = names(compose.get("volumes"));
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            for (JsonNode v : s.getValue().path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./")) {
                    if (!source.equals("./job/target/augur-job.jar")) assertThat(ROOT.resolve(source)).as(s.getKey() + " mounts " + source).exists();
                } else {
                    assertThat(declared).as(s.getKey() + " volume " + source + " is declared").contains(source);
                }
            }
        }
        // Flink's checkpoint and savepoint directories are on the shared volume; RocksDB is the state backend
        String props = services.at("/jobmanager/environment/FLINK_PROPERTIES").asText();
        assertThat(props).contains("state.backend.type: rocksdb", "execution.checkpointing.dir: file:///flink-state/checkpoints",
                "execution.checkpointing.savepoint-dir: file:///flink-state/savepoints", "jobmanager.rpc.address: jobmanager");
        assertThat(services.at("/taskmanager/environment/FLINK_PROPERTIES").asText()).isEqualTo(props);
    }

    @Test
    void servicesStartInOrderAndTheJobIsSubmittedLast() {
        assertThat(condition("taskmanager", "jobmanager")).isEqualTo("service_healthy");
        assertThat(condition("aws-init", "aws")).isEqualTo("service_healthy");
        assertThat(condition("streams", "kinesis")).isEqualTo("service_healthy");
        assertThat(condition("loader", "streams")).isEqualTo("service_completed_successfully");
        assertThat(condition("submit", "jobmanager")).isEqualTo("service_healthy");
        assertThat(condition("submit", "taskmanager")).isEqualTo("service_healthy");
        // the job starts once its streams exist and reads them while the loader fills them
        assertThat(condition("submit", "streams")).isEqualTo("service_completed_successfully");
        assertThat(services.at("/submit/depends_on").has("loader")).isFalse();
        assertThat(condition("submit", "aws-init")).isEqualTo("service_completed_successfully");
        assertThat(condition("submit", "postgres")).isEqualTo("service_healthy");
        String submit = services.at("/submit/command").toString();
        assertThat(submit).contains("flink run -d -m jobmanager:8081 -c " + AugurJob.class.getName() + " /opt/augur/augur-job.jar")
                .contains("--config /opt/augur/augur.yaml");
    }

    @Test
    void theSubmittedConfigurationReadsTheStreamsTheLoaderFillsOnTheEmulator() throws Exception {
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.readFile(ROOT.resolve("deploy/compose/augur.yaml")));
        assertThat(cfg.get(AugurConfig.SOURCE_TYPE)).isEqualTo("kinesis");
        URI endpoint = URI.create(cfg.get(AugurConfig.KINESIS_ENDPOINT));
        assertThat(endpoint.getHost()).isEqualTo("kinesis");
        assertThat(endpoint.getPort()).isEqualTo(Integer.parseInt(services.at("/kinesis/environment/KINESIS_MOCK_PLAIN_PORT").asText()));
        assertThat(cfg.get(AugurConfig.KINESIS_INITIAL_POSITION)).as("records loaded before the job starts are read").isEqualTo("TRIM_HORIZON");
        assertThat(cfg.get(AugurConfig.OUTPUT_DIR)).startsWith("file:///augur-output");

        Set<String> configured = Set.of(cfg.get(AugurConfig.KINESIS_METRICS_STREAM), cfg.get(AugurConfig.KINESIS_EVENTS_STREAM));
        // the streams service creates them, one shard each (records stay in order); the loader fills them
        String created = services.at("/streams/command").toString();
        assertThat(loads(created, cfg)).containsExactlyInAnyOrderElementsOf(configured);
        assertThat(created).contains("--create-stream").doesNotContain("--shards");
        String loader = services.at("/loader/command").toString();
        assertThat(loads(loader, cfg)).containsExactlyInAnyOrderElementsOf(configured);
        assertThat(loader).contains("io.augur.job.cli.AugurCli").contains("simulate").contains("/sim/metrics.ndjson").contains("/sim/events.ndjson");
    }

    /** The streams an {@code augur load} command line puts into, checking each targets the configured endpoint. */
    private static List<String> loads(String commandLine, AugurConfig cfg) {
        Matcher m = Pattern.compile("load --stream (\\S+) --endpoint (\\S+)").matcher(commandLine);
        List<String> streams = new ArrayList<>();
        while (m.find()) {
            streams.add(m.group(1));
            assertThat(m.group(2)).isEqualTo(cfg.get(AugurConfig.KINESIS_ENDPOINT));
        }
        return streams;
    }

    private static String condition(String service, String on) {
        JsonNode c = services.get(service).path("depends_on").path(on).path("condition");
        assertThat(c.isMissingNode()).as(service + " depends_on " + on).isFalse();
        return c.asText();
    }

    private static List<String> ports(String service) {
        List<String> out = new ArrayList<>();
        services.get(service).path("ports").forEach(p -> out.add(p.asText()));
        return out;
    }

    private static List<String> volumes(String service) {
        List<String> out = new ArrayList<>();
        services.get(service).path("volumes").forEach(p -> out.add(p.asText()));
        return out;
    }

    private static Set<String> names(JsonNode obj) {
        Set<String> out = new TreeSet<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String pomProperty(String name) throws Exception {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("pom.xml property " + name).isTrue();
        return m.group(1).trim();
    }
}
