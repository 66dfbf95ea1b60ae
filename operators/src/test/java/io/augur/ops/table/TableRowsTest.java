package io.augur.ops.table;

import io.augur.schema.AnomalyStatus;
import io.augur.schema.AnomalyTableState;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightTableState;
import io.augur.schema.Resource;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static io.augur.ops.table.TableFixtures.ALB_ARN;
import static io.augur.ops.table.TableFixtures.LAMBDA_ARN;
import static io.augur.ops.table.TableFixtures.MIN;
import static io.augur.ops.table.TableFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping from records to table rows, on DevOps Guru-shaped bodies. */
class TableRowsTest {
    private static LocalDateTime at(String hhmm) {
        return LocalDateTime.parse("2025-01-01T" + hhmm);
    }

    private static InsightTableState fold(InsightNotification... events) {
        InsightTableState s = null;
        for (InsightNotification n : events) s = TableStates.insight(s, n);
        return s;
    }

    @Test
    void anInsightRowAccumulatesAnomaliesAndRecommendationsAcrossItsEventsAndClosesWithTheBodysEndTime() {
        InsightTableState s = fold(TableFixtures.newInsight(), TableFixtures.association(), TableFixtures.recommendation(), TableFixtures.closed());
        TableRow r = TableRows.insight(s);

        assertThat(r.get("id")).isEqualTo("ins-1");
        assertThat(r.get("type")).isEqualTo("REACTIVE");
        assertThat(r.get("name")).isEqualTo("Errors rose in checkout");
        assertThat(r.get("description")).isEqualTo("Lambda errors and ALB 5xx in checkout"); // only NEW_INSIGHT's body has it
        assertThat(r.get("severity")).isEqualTo("HIGH");
        assertThat(r.get("status")).isEqualTo("CLOSED");
        assertThat(r.get("start_time")).isEqualTo(at("10:00"));
        assertThat(r.get("end_time")).isEqualTo(at("10:45"));
        assertThat(r.get("opened_at")).isEqualTo(at("10:05"));
        assertThat(r.get("closed_at")).isEqualTo(at("10:50"));
        assertThat(r.get("updated_at")).isEqualTo(at("10:50"));
        assertThat(r.get("prediction_start")).isNull();
        assertThat(r.get("application")).isEqualTo("checkout");
        assertThat(r.get("resource_collection")).isEqualTo("{\"cloudFormation\":{\"stackNames\":[\"checkout\"]}}");
        assertThat(r.get("account_id")).isEqualTo("123456789012");
        assertThat(r.get("anomaly_count")).isEqualTo(2);
        assertThat(r.get("recommendation_count")).isEqualTo(2);
        assertThat(r.day()).isEqualTo("2025-01-01");

        // while open: no end, ONGOING, one anomaly
        TableRow open = TableRows.insight(fold(TableFixtures.newInsight()));
        assertThat(open.get("status")).isEqualTo("ONGOING");
        assertThat(open.get("end_time")).isNull();
        assertThat(open.get("severity")).isEqualTo("MEDIUM");
        assertThat(open.get("anomaly_count")).isEqualTo(1);
    }

    @Test
    void theInsightRowDoesNotDependOnTheOrderOfItsEventsAndARepeatedEventChangesNothing() {
        TableRow inOrder = TableRows.insight(fold(TableFixtures.newInsight(), TableFixtures.association(), TableFixtures.recommendation(), TableFixtures.closed()));
        TableRow shuffled = TableRows.insight(fold(TableFixtures.association(), TableFixtures.closed(), TableFixtures.newInsight(), TableFixtures.recommendation()));
        assertThat(shuffled).isEqualTo(inOrder);

        InsightTableState once = fold(TableFixtures.newInsight(), TableFixtures.association());
        InsightTableState twice = TableStates.insight(once, TableFixtures.association());
        assertThat(TableRows.insight(twice)).isEqualTo(TableRows.insight(once));
    }

    @Test
    void anAnomalyRowTakesTheInsightIdAndTypeFromTheInsightEventAndEverythingElseFromItsLatestRevision() {
        // the insight event comes first: the row is what its body says
        AnomalyTableState s = TableStates.withAssociation(null, TableFixtures.newInsight());
        TableRow fromBody = TableRows.anomaly("an-lambda", s);
        assertThat(fromBody.get("insight_id")).isEqualTo("ins-1");
        assertThat(fromBody.get("type")).isEqualTo("CAUSAL");
        assertThat(fromBody.get("kind")).isEqualTo("REACTIVE");
        assertThat(fromBody.get("severity")).isEqualTo("HIGH");
        assertThat(fromBody.get("status")).isEqualTo("ONGOING");
        assertThat(fromBody.get("resource_arn")).isEqualTo(LAMBDA_ARN);
        assertThat(fromBody.get("resource_type")).isEqualTo("AWS::Lambda::Function");
        assertThat(fromBody.get("namespace")).isEqualTo("AWS/Lambda");
        assertThat(fromBody.get("metric_name")).isEqualTo("Errors");
        assertThat(fromBody.get("stat")).isEqualTo("Sum");
        assertThat(fromBody.get("period_seconds")).isEqualTo(60);
        assertThat(fromBody.get("dimensions")).isEqualTo("{\"FunctionName\":\"checkout-api\"}");
        assertThat(fromBody.get("start_time")).isEqualTo(at("10:00"));
        assertThat(fromBody.get("open_time")).isEqualTo(at("10:03"));
        assertThat(fromBody.get("revision")).isNull();
        assertThat(fromBody.get("updated_at")).isEqualTo(at("10:05"));

        // revisions arrive (the closing one before a late ONGOING one): the newest revision wins
        s = TableStates.withRevision(s, TableFixtures.lambdaErrors(2, AnomalyStatus.CLOSED, T0 + 40 * MIN));
        s = TableStates.withRevision(s, TableFixtures.lambdaErrors(1, AnomalyStatus.ONGOING, T0 + 6 * MIN));
        TableRow r = TableRows.anomaly("an-lambda", s);
        assertThat(r.get("insight_id")).isEqualTo("ins-1");
        assertThat(r.get("type")).isEqualTo("CAUSAL");
        assertThat(r.get("status")).isEqualTo("CLOSED");
        assertThat(r.get("revision")).isEqualTo(2);
        assertThat(r.get("end_time")).isEqualTo(at("10:38"));
        assertThat(r.get("close_time")).isEqualTo(at("10:40"));
        assertThat(r.get("name")).isEqualTo("Errors rose on AWS::Lambda::Function checkout-api");
        assertThat(r.get("direction")).isEqualTo("ABOVE");
        assertThat(r.get("peak_score")).isEqualTo(0.97);
        assertThat(r.get("resource_name")).isEqualTo("checkout-api");
        assertThat(r.get("limit_value")).isNull();
        assertThat(r.get("updated_at")).isEqualTo(at("10:40"));

        // the ALB anomaly as NEW_ASSOCIATION lists it: ISO times, numeric period, dimensions as an object
        TableRow alb = TableRows.anomaly("an-alb", TableStates.withAssociation(null, TableFixtures.association()));
        assertThat(alb.get("type")).isEqualTo("CONTEXTUAL");
        assertThat(alb.get("severity")).isEqualTo("MEDIUM");
        assertThat(alb.get("resource_arn")).isEqualTo(ALB_ARN);
        assertThat(alb.get("start_time")).isEqualTo(at("10:02"));
        assertThat(alb.get("period_seconds")).isEqualTo(60);
        assertThat(alb.get("dimensions")).isEqualTo("{\"LoadBalancer\":\"app/checkout-alb/50dc6c495c0c9188\"}");
    }

    @Test
    void insightEventsRecommendationsAndChangeEventsMapOneToOne() {
        TableRow e = TableRows.insightEvent(TableFixtures.association());
        assertThat(e.get("id")).isEqualTo("ins-1-NEW_ASSOCIATION-1");
        assertThat(e.get("message_type")).isEqualTo("NEW_ASSOCIATION");
        assertThat(e.get("sequence")).isEqualTo(1);
        assertThat(e.get("severity")).isEqualTo("HIGH");
        assertThat(e.get("event_time")).isEqualTo(at("10:08"));
        assertThat(e.get("start_time")).isEqualTo(at("10:00")); // from startTimeISO
        assertThat(e.get("anomaly_ids")).isEqualTo("an-alb");
        assertThat(e.get("anomaly_count")).isEqualTo(1);
        assertThat(e.get("recommendation_count")).isEqualTo(0);
        assertThat(e.get("body")).isEqualTo(TableFixtures.ASSOCIATION_BODY);

        List<TableRow> recs = TableRows.recommendations(TableFixtures.recommendation());
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).get("id")).isEqualTo(TableRows.recommendationId("ins-1", "Roll back the recent deployment of checkout-api"))
                .asString().startsWith("ins-1-").hasSize("ins-1-".length() + 16);
        assertThat(recs.get(0).get("related_anomaly_ids")).isEqualTo("an-lambda");
        assertThat(recs.get(0).get("related_events")).isEqualTo("UpdateFunctionCode");
        assertThat(recs.get(0).get("category")).isEqualTo("DEPLOYMENT");
        assertThat(recs.get(0).get("version")).isEqualTo(2L);
        assertThat(recs.get(1).get("related_events")).isNull();
        assertThat(TableRows.recommendations(TableFixtures.newInsight())).isEmpty();

        ChangeEvent ce = ChangeEvent.newBuilder().setId("ev-1").setTime(T0 - 20 * MIN).setEventSource("lambda.amazonaws.com")
                .setName("UpdateFunctionCode").setDataSource(EventDataSource.AWS_CLOUD_TRAIL).setEventClass(EventClass.DEPLOYMENT)
                .setResources(List.of(Resource.newBuilder().setType("AWS::Lambda::Function").setName("checkout-api").setArn(LAMBDA_ARN).build(),
                        Resource.newBuilder().setType("AWS::Lambda::Alias").setName("live").setArn(LAMBDA_ARN + ":live").build()))
                .setAccountId("123456789012").setRegion("us-east-1").setActor("arn:aws:iam::123456789012:role/deployer").build();
        TableRow c = TableRows.changeEvent(ce);
        assertThat(c.values()).containsExactly("ev-1", at("09:40"), "lambda.amazonaws.com", "UpdateFunctionCode", "AWS_CLOUD_TRAIL", "DEPLOYMENT",
                "123456789012", "us-east-1", LAMBDA_ARN, "AWS::Lambda::Function", "checkout-api", LAMBDA_ARN + "," + LAMBDA_ARN + ":live",
                null, "arn:aws:iam::123456789012:role/deployer", null);
    }

    @Test
    void aProactiveInsightsPredictionRangeComesFromItsBodyOrElseFromItsAnomalies() {
        String top = "{\"startTime\":1735725600000,\"predictionTimeRange\":{\"startTime\":\"2025-01-04T10:00:00Z\",\"endTime\":1736157600000}}";
        NotificationBody b = NotificationBody.parse(top);
        assertThat(b.predictionStart()).isEqualTo(1735984800000L);
        assertThat(b.predictionEnd()).isEqualTo(1736157600000L);
        String fromAnomalies = "{\"anomalies\":[{\"id\":\"a\",\"limit\":0,\"predictionTimeRange\":{\"startTime\":300,\"endTime\":900}},"
                + "{\"id\":\"b\",\"predictionTimeRange\":{\"startTime\":200,\"endTime\":500}}]}";
        assertThat(NotificationBody.parse(fromAnomalies).predictionStart()).isEqualTo(200L);
        assertThat(NotificationBody.parse(fromAnomalies).predictionEnd()).isEqualTo(900L);
        assertThat(NotificationBody.parse(fromAnomalies).anomaly("a").limit()).isEqualTo(0.0);
    }

    @Test
    void aMalformedBodyReadsAsEmptyAndTheRowFallsBackToTheEventsFields() {
        InsightNotification broken = InsightNotification.newBuilder(TableFixtures.newInsight()).setBody("{not json").build();
        TableRow r = TableRows.insight(TableStates.insight(null, broken));
        assertThat(r.get("start_time")).isEqualTo(at("10:05")); // opened_at stands in
        assertThat(r.get("anomaly_count")).isEqualTo(0);
        assertThat(TableRows.insightEvent(broken).get("anomaly_ids")).isNull();
    }

    @Test
    void aRowRefusesAValueOfTheWrongTypeOrAnUnknownColumn() {
        TableRow r = new TableRow(Tables.INSIGHTS);
        assertThatThrownBy(() -> r.set("anomaly_count", 2L)).hasMessageContaining("insights.anomaly_count takes Integer, not Long");
        assertThatThrownBy(() -> r.set("limit", 1.0)).hasMessageContaining("no column limit");
        assertThat(r.day()).isEqualTo("unknown");
    }

    @Test
    void everyTableStartsWithIdAndTheVersionedOnesCarryVersionAndUpdatedAt() {
        for (TableDef t : Tables.ALL) {
            assertThat(t.columnNames().get(0)).isEqualTo("id");
            assertThat(t.columnNames()).doesNotHaveDuplicates().doesNotContain(TableDef.PARTITION_COLUMN);
            if (t.versioned()) assertThat(t.columnNames()).contains("version", "updated_at");
        }
        assertThat(Tables.ALL).extracting(TableDef::name).containsExactly("insights", "anomalies", "insight_events", "recommendations", "change_events");
    }
}
