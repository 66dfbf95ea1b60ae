package io.augur.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.testing.KinesisLocal;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the files under {@code deploy/} and {@code docker-compose.yml}: plain YAML, multi-document YAML, CloudFormation YAML. */
final class DeployFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    /** CloudFormation's short-form tags and the long form each stands for ({@code !GetAtt A.B} becomes {@code Fn::GetAtt: [A, B]}). */
    static final Map<String, String> CFN_TAGS = Map.ofEntries(
            Map.entry("!Ref", "Ref"), Map.entry("!Condition", "Condition"),
            Map.entry("!GetAtt", "Fn::GetAtt"), Map.entry("!Sub", "Fn::Sub"), Map.entry("!Join", "Fn::Join"),
            Map.entry("!Select", "Fn::Select"), Map.entry("!Split", "Fn::Split"), Map.entry("!If", "Fn::If"),
            Map.entry("!Equals", "Fn::Equals"), Map.entry("!Not", "Fn::Not"), Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"), Map.entry("!FindInMap", "Fn::FindInMap"), Map.entry("!GetAZs", "Fn::GetAZs"),
            Map.entry("!ImportValue", "Fn::ImportValue"), Map.entry("!Base64", "Fn::Base64"), Map.entry("!Cidr", "Fn::Cidr"));

    private DeployFiles() {}

    static Path root() {
        return KinesisLocal.repoRoot();
    }

    /** One YAML document (anchors, aliases and {@code <<} merge keys resolved) as a JSON tree. */
    static JsonNode yaml(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(r));
        }
    }

    /** Every document of a multi-document YAML file ({@code ---} separated). */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                if (doc != null) out.add(JSON.valueToTree(doc));
            }
        }
        return out;
    }

    /** A CloudFormation template with every short-form tag turned into its long form, as a JSON tree. */
    static JsonNode cloudFormation(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return JSON.valueToTree(new Yaml(new CloudFormationConstructor()).load(r));
        }
    }

    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (Map.Entry<String, String> e : CFN_TAGS.entrySet()) {
                yamlConstructors.put(new Tag(e.getKey()), new LongForm(e.getValue()));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String function;

            LongForm(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode s) {
                    String v = s.getValue();
                    value = function.equals("Fn::GetAtt") ? List.of(v.substring(0, v.indexOf('.')), v.substring(v.indexOf('.') + 1)) : v;
                } else if (node instanceof SequenceNode seq) {
                    value = constructSequence(seq);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(function, value);
            }
        }
    }
}
