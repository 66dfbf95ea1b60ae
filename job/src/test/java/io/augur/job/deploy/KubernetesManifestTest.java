package io.augur.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy/kubernetes}: the FlinkDeployment, its ConfigMap and the image they run. */
class KubernetesManifestTest {
    private static final Path DIR = DeployFiles.root().resolve("deploy/kubernetes");
    private static JsonNode deployment;
    private static JsonNode configMap;

    @BeforeAll
    static void read() throws Exception {
        List<JsonNode> docs = DeployFiles.yamlDocuments(DIR.resolve("augur.yaml"));
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("ConfigMap", "FlinkDeployment");
        configMap = docs.get(0);
        deployment = docs.get(1);
    }

    @Test
    void anApplicationModeJobOnFlink120UpgradedWithSavepoints() {
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        JsonNode spec = deployment.get("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
        assertThat(spec.path("image").asText()).matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*").doesNotEndWith(":latest");
        JsonNode job = spec.get("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/augur-job.jar");
        assertThat(job.path("entryClass").asText()).isEqualTo(AugurJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        assertThat(job.path("allowNonRestoredState").asBoolean(true)).isFalse();
        assertThat(job.path("parallelism").asInt()).isPositive();
    }

    @Test
    void rocksDbWithCheckpointSavepointAndHaStorage() {
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("state.checkpoints.dir").asText()).startsWith("s3://");
        assertThat(conf.path("state.savepoints.dir").asText()).startsWith("s3://");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode r = deployment.at("/spec/" + role + "/resource");
            assertThat(r.path("memory").asText()).as(role).matches("\\d+m");
            assertThat(r.path("cpu").asDouble()).as(role).isPositive();
        }
    }

    @Test
    void theJobReadsItsConfigurationFromTheMountedConfigMap(@TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>();
        deployment.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        assertThat(args).hasSize(2).first().isEqualTo("--config");
        Path configPath = Path.of(args.get(1));

        JsonNode container = deployment.at("/spec/podTemplate/spec/containers/0");
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        JsonNode mount = container.at("/volumeMounts/0");
        assertThat(configPath.getParent().toString()).isEqualTo(mount.path("mountPath").asText());
        JsonNode volume = deployment.at("/spec/podTemplate/spec/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());

        String yaml = configMap.at("/data").path(configPath.getFileName().toString()).asText();
        assertThat(yaml).isNotBlank();
        Path file = tmp.resolve("augur.yaml");
        Files.writeString(file, yaml);
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.readFile(file)); // unknown keys or bad values throw
        assertThat(cfg.get(AugurConfig.SOURCE_TYPE)).isEqualTo("kinesis");
        assertThat(cfg.get(AugurConfig.JOB_MAX_PARALLELISM)).isEqualTo("128");
    }

    @Test
    void theImageIsTheFlinkVersionAugurBuildsAgainstWithTheJarWhereTheDeploymentLooks() throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve("Dockerfile"));
        String flinkVersion = DockerComposeTest.pomProperty("flink.version");
        assertThat(lines).contains("FROM flink:" + flinkVersion + "-java17");
        String jarPath = deployment.at("/spec/job/jarURI").asText().substring("local://".length());
        assertThat(lines).anyMatch(l -> l.startsWith("COPY") && l.contains("job/target/augur-job.jar " + jarPath));
        assertThat(String.join("\n", lines)).contains("flink-s3-fs-hadoop-" + flinkVersion + ".jar /opt/flink/plugins/s3-fs-hadoop/");
    }
}
