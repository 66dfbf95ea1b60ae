package io.augur.job.sink.notify;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.testing.MotoServer;
import io.augur.schema.InsightNotification;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test: notifications per second through the SNS and the EventBridge sink into moto on loopback,
 * from job start until the last message is in the SQS queue. moto is the bottleneck (PutEvents of 10 takes seconds),
 * so this measures the sinks' batching and concurrency against a slow server, not AWS.
 * Run: see README, "Notifications".
 */
public final class NotificationThroughput {
    public static void main(String[] args) throws Exception {
        int insights = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<InsightNotification> input = InsightEvents.lifecycles(insights);
        try (MotoServer moto = MotoServer.start()) {
            String topic = moto.sns().createTopic(b -> b.name("bench")).topicArn();
            String snsQueue = moto.queue("bench-sns");
            moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(snsQueue)));
            moto.events().createEventBus(b -> b.name("bench-bus"));
            moto.events().putRule(b -> b.name("all").eventBusName("bench-bus").eventPattern("{\"source\":[\"augur.devops-guru\"]}"));
            String ebQueue = moto.queue("bench-eventbridge");
            moto.events().putTargets(b -> b.rule("all").eventBusName("bench-bus").targets(t -> t.id("q").arn(moto.queueArn(ebQueue))));
            for (String sink : List.of("sns", "eventbridge")) {
                Map<String, String> m = new java.util.HashMap<>(SnsEventBridgeSinkTest.awsConfig(moto.endpoint()));
                m.put("notify.sinks", sink);
                m.put("notify.sns.topic-arns", topic);
                m.put("notify.eventbridge.bus-name", "bench-bus");
                AugurConfig cfg = AugurConfig.defaults().with(m);
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                AugurJob.configure(env, cfg, false);
                env.setParallelism(2);
                Notifications.attach(env.fromData(input, new AvroTypeInfo<>(InsightNotification.class)).uid("bench"), cfg);
                long start = System.nanoTime();
                env.execute("bench-" + sink);
                long sent = System.nanoTime();
                int got = moto.drain(sink.equals("sns") ? snsQueue : ebQueue, input.size(), Duration.ofMinutes(5), Duration.ofSeconds(1)).size();
                double secs = (sent - start) / 1e9;
                System.out.printf("%-11s %d notifications (parallelism 2, batches of 10, 4 in flight): job %.1f s = %.0f notifications/s; %d arrived in SQS%n",
                        sink, input.size(), secs, input.size() / secs, got);
            }
        }
        System.exit(0);
    }
}
