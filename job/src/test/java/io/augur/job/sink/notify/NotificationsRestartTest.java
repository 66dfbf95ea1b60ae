package io.augur.job.sink.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.testing.MotoServer;
import io.augur.job.testing.SsmStandIn;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All three sinks in one job that fails once after a checkpoint and restarts from it: nothing is lost (every
 * notification reaches SNS and EventBridge at least once, and exactly once per notification id), and no OpsItem is
 * created twice although events after the checkpoint are sent again.
 */
class NotificationsRestartTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS_BEFORE_FAILURE = new AtomicInteger();
    static final AtomicInteger PASSED_BEFORE_FAILURE = new AtomicInteger();

    /** Throws once, at the first notification after a checkpoint completed and {@code failAfter} notifications passed. */
    static final class FailOnceAfterACheckpoint extends RichMapFunction<InsightNotification, InsightNotification> implements CheckpointListener {
        private final int failAfter;
        private int passed;
        private int checkpoints;

        FailOnceAfterACheckpoint(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public InsightNotification map(InsightNotification n) throws Exception {
            passed++;
            if (checkpoints > 0 && passed >= failAfter && FAILED.compareAndSet(false, true)) {
                CHECKPOINTS_BEFORE_FAILURE.set(checkpoints);
                PASSED_BEFORE_FAILURE.set(passed);
                throw new IllegalStateException("injected failure after checkpoint");
            }
            return n;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpoints++;
            System.out.println("fail-once: checkpoint " + checkpointId + " complete after " + passed + " notifications");
        }
    }

    @Test
    void aRestartFromACheckpointLosesNothingAndCreatesNoSecondOpsItem() throws Exception {
        int insights = 12;
        List<InsightNotification> input = new java.util.ArrayList<>(InsightEvents.lifecycles(insights));
        Set<String> ids = input.stream().map(InsightNotification::getId).collect(Collectors.toCollection(TreeSet::new));
        try (MotoServer moto = MotoServer.start(); SsmStandIn ssm = SsmStandIn.start()) {
            String topic = moto.sns().createTopic(b -> b.name("augur-restart")).topicArn();
            String snsQueue = moto.queue("restart-sns");
            moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(snsQueue)));
            moto.events().createEventBus(b -> b.name("restart-bus"));
            moto.events().putRule(b -> b.name("all").eventBusName("restart-bus").eventPattern("{\"source\":[\"augur.devops-guru\"]}"));
            String ebQueue = moto.queue("restart-eventbridge");
            moto.events().putTargets(b -> b.rule("all").eventBusName("restart-bus").targets(t -> t.id("q").arn(moto.queueArn(ebQueue))));
            // slow answers are covered by OpsCenterSinkTest (here an attempt may take 30 s, for moto)
            ssm.faults((n, action) -> n % 9 == 0 ? SsmStandIn.Fault.THROTTLE : n % 17 == 0 ? SsmStandIn.Fault.ERROR_500 : SsmStandIn.Fault.NONE);

            Map<String, String> m = new HashMap<>(SnsEventBridgeSinkTest.awsConfig(moto.endpoint()));
            m.putAll(OpsCenterSinkTest.config(ssm));
            m.put("notify.sinks", "sns,eventbridge,opscenter");
            m.put("notify.sns.topic-arns", topic);
            m.put("notify.eventbridge.bus-name", "restart-bus");
            m.put("notify.max-time-in-buffer", "300ms");
            m.put("checkpoint.interval", "250ms");
            m.put("notify.api-call-attempt-timeout", "30s"); // moto takes 2-5 s for a PutEvents of 10: an attempt must not time out while it works
            m.put("notify.api-call-timeout", "90s");
            AugurConfig cfg = AugurConfig.defaults().with(m);

            FAILED.set(false);
            Configuration restart = new Configuration();
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
            restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            AugurJob.configure(env, cfg, false);
            env.configure(restart);
            env.setParallelism(2);
            // a few notifications a second, so checkpoints complete while notifications still flow
            DataGeneratorSource<InsightNotification> source = new DataGeneratorSource<>(i -> input.get(i.intValue()), input.size(),
                    RateLimiterStrategy.perSecond(4), new AvroTypeInfo<>(InsightNotification.class));
            Notifications.attach(env.fromSource(source, WatermarkStrategy.noWatermarks(), "notifications").uid("test-notifications").setParallelism(1)
                    .map(new FailOnceAfterACheckpoint(input.size() / 5)).uid("fail-once").setParallelism(1), cfg); // one insight's events stay in order
            env.execute("notifications-restart");

            assertThat(FAILED.get()).as("the job failed once").isTrue();
            assertThat(CHECKPOINTS_BEFORE_FAILURE.get()).isPositive();

            Map<String, Integer> sns = new TreeMap<>();
            for (Message msg : moto.drain(snsQueue, input.size(), Duration.ofSeconds(60), Duration.ofSeconds(2))) {
                JsonNode envelope = InsightEvents.MAPPER.readTree(msg.body());
                sns.merge(envelope.get("MessageAttributes").get("NotificationId").get("Value").asText(), 1, Integer::sum);
            }
            Map<String, Integer> events = new TreeMap<>();
            for (Message msg : moto.drain(ebQueue, input.size(), Duration.ofSeconds(60), Duration.ofSeconds(2))) {
                events.merge(InsightEvents.MAPPER.readTree(msg.body()).get("detail").get("notificationId").asText(), 1, Integer::sum);
            }
            assertThat(sns.keySet()).as("notification ids through SNS").isEqualTo(ids);
            assertThat(events.keySet()).as("notification ids through EventBridge").isEqualTo(ids);
            OpsCenterSinkTest.assertOneResolvedItemPerInsightWithEveryEventInOrder(ssm, input, insights);

            int snsRepeats = sns.values().stream().mapToInt(c -> c - 1).sum();
            int ebRepeats = events.values().stream().mapToInt(c -> c - 1).sum();
            System.out.printf("restart test: failed after %d notifications and %d checkpoints; repeats after the restart: SNS %d, EventBridge %d; "
                            + "OpsCenter requests %d, creations deduplicated %d%n",
                    PASSED_BEFORE_FAILURE.get(), CHECKPOINTS_BEFORE_FAILURE.get(), snsRepeats, ebRepeats, ssm.requests().size(), ssm.dedupHits());
        }
    }
}
