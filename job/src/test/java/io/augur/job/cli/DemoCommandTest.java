package io.augur.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @Test
    void dynamoDbLimitsComeFromTheSimulatedTablesProvisionedCapacity() throws Exception {
        String truth = "{\"applications\":[{\"resources\":[{\"type\":\"AWS::Lambda::Function\",\"dimensions\":{\"FunctionName\":\"f\"}},"
                + "{\"type\":\"AWS::DynamoDB::Table\",\"dimensions\":{\"TableName\":\"checkout-table\"},"
                + "\"provisionedReadCapacityUnits\":985,\"provisionedWriteCapacityUnits\":250}]},"
                + "{\"resources\":[{\"type\":\"AWS::DynamoDB::Table\",\"dimensions\":{\"TableName\":\"t2\"},\"provisionedWriteCapacityUnits\":40}]}]}";
        assertThat(DemoCommand.provisionedCapacityLimits(new ObjectMapper().readTree(truth))).isEqualTo(
                "AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=checkout-table=250;"
                        + "AWS/DynamoDB|ConsumedReadCapacityUnits|TableName=checkout-table=985;"
                        + "AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=t2=40");
    }
}
