package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.parse.RecordParser;
import io.augur.ops.parse.events.CloudTrailTags.TagChange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every spelling of tags in requestParameters that coverage relies on, on CloudTrail records in the services' shapes. */
class CloudTrailTagsTest {

    @Test
    void lambdaTagResourceMap() {
        TagChange c = tags("lambda.amazonaws.com", "TagResource20170331v2",
                "{\"resource\":\"arn:aws:lambda:us-east-1:123456789012:function:checkout-api\",\"tags\":{\"devops-guru-app\":\"checkout\",\"team\":\"pay\"}}");
        assertThat(c.set()).containsExactly(Map.entry("devops-guru-app", "checkout"), Map.entry("team", "pay"));
        assertThat(c.removed()).isEmpty();
        assertThat(c.stackName()).isNull();
    }

    @Test
    void dynamoDbRdsAndElbLists() {
        assertThat(tags("dynamodb.amazonaws.com", "TagResource",
                "{\"resourceArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t\",\"tags\":[{\"key\":\"devops-guru-app\",\"value\":\"cart\"}]}").set())
                .containsExactly(Map.entry("devops-guru-app", "cart"));
        assertThat(tags("rds.amazonaws.com", "AddTagsToResource",
                "{\"resourceName\":\"arn:aws:rds:us-east-1:123456789012:db:d\",\"tags\":[{\"key\":\"Devops-Guru-App\",\"value\":\"x\"}]}").set())
                .containsExactly(Map.entry("Devops-Guru-App", "x"));
        assertThat(tags("elasticloadbalancing.amazonaws.com", "AddTags",
                "{\"resourceArns\":[\"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1\"],\"tags\":[{\"key\":\"k\",\"value\":\"v\"},{\"key\":\"novalue\"}]}").set())
                .containsExactly(Map.entry("k", "v"), Map.entry("novalue", ""));
    }

    @Test
    void ec2TagSetAndRunInstancesTagSpecifications() {
        assertThat(tags("ec2.amazonaws.com", "CreateTags",
                "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-1\"}]},\"tagSet\":{\"items\":[{\"key\":\"devops-guru-app\",\"value\":\"web\"}]}}").set())
                .containsExactly(Map.entry("devops-guru-app", "web"));
        assertThat(tags("ec2.amazonaws.com", "RunInstances",
                "{\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\",\"tags\":[{\"key\":\"aws:cloudformation:stack-name\",\"value\":\"web-prod\"}]}]}}").stackName())
                .isEqualTo("web-prod");
    }

    @Test
    void removalsByKeyListOrTagList() {
        TagChange lambda = tags("lambda.amazonaws.com", "UntagResource20170331v2", "{\"resource\":\"arn:x\",\"tagKeys\":[\"devops-guru-app\"]}");
        assertThat(lambda.set()).isEmpty();
        assertThat(lambda.removed()).containsExactly("devops-guru-app");
        assertThat(tags("rds.amazonaws.com", "RemoveTagsFromResource", "{\"resourceName\":\"arn:x\",\"tagKeys\":[\"a\",\"b\"]}").removed())
                .containsExactly("a", "b");
        assertThat(tags("ec2.amazonaws.com", "DeleteTags",
                "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-1\"}]},\"tagSet\":{\"items\":[{\"key\":\"devops-guru-app\"}]}}").removed())
                .containsExactly("devops-guru-app");
    }

    @Test
    void failedCallsAndCallsWithoutTagsChangeNothing() {
        JsonNode failed = record("dynamodb.amazonaws.com", "TagResource", "{\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) failed).put("errorCode", "AccessDenied");
        assertThat(CloudTrailTags.of(failed)).isEqualTo(TagChange.NONE);
        assertThat(tags("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "{\"functionName\":\"f\",\"timeout\":3}").isEmpty()).isTrue();
    }

    private static TagChange tags(String source, String name, String request) {
        return CloudTrailTags.of(record(source, name, request));
    }

    private static JsonNode record(String source, String name, String request) {
        try {
            return RecordParser.mapper().readTree("{\"eventSource\":\"" + source + "\",\"eventName\":\"" + name + "\",\"requestParameters\":" + request + "}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
