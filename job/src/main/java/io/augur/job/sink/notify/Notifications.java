package io.augur.job.sink.notify;

import io.augur.job.config.AugurConfig;
import io.augur.ops.notify.NotificationFilter;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaches the notification sinks chosen by {@code notify.sinks} to the stream of insight lifecycle events. The stream
 * is keyed by insight id first, so all events of an insight reach the same sink subtask in order. Fixed uids:
 * {@code sns-filter}, {@code sns-sink} (first topic), {@code sns-sink-2} (second topic), {@code eventbridge-sink},
 * {@code opscenter-sink}.
 */
public final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    public static final String SNS_FILTER_UID = "sns-filter";
    public static final String SNS_SINK_UID = "sns-sink";
    public static final String SNS_SINK_2_UID = "sns-sink-2";
    public static final String EVENTBRIDGE_SINK_UID = "eventbridge-sink";
    public static final String OPSCENTER_SINK_UID = "opscenter-sink";

    private Notifications() {}

    /** The sinks attached (none when {@code notify.sinks} is empty). Configuration errors are thrown here, before the job runs. */
    public static List<DataStreamSink<InsightNotification>> attach(DataStream<InsightNotification> notifications, AugurConfig cfg) {
        NotifySettings s = NotifySettings.from(cfg);
        List<DataStreamSink<InsightNotification>> sinks = new ArrayList<>();
        if (s.sinks.isEmpty()) return sinks;
        LOG.info("Notification sinks: {}", s);
        KeyedStream<InsightNotification, String> byInsight = notifications.keyBy(InsightNotification::getInsightId);
        if (s.on(NotifySettings.Sink.SNS)) {
            DataStream<InsightNotification> forSns = byInsight.filter(new Accepts(s.snsFilter)).uid(SNS_FILTER_UID).name("SNS filter: " + s.snsFilter);
            List<String> topics = s.snsTopicArns();
            for (int i = 0; i < topics.size(); i++) {
                sinks.add(forSns.sinkTo(new SnsSink(s, topics.get(i))).uid(i == 0 ? SNS_SINK_UID : SNS_SINK_2_UID).name("SNS " + topics.get(i)));
            }
        }
        if (s.on(NotifySettings.Sink.EVENTBRIDGE)) {
            sinks.add(byInsight.sinkTo(new EventBridgeSink(s)).uid(EVENTBRIDGE_SINK_UID).name("EventBridge " + s.eventBusName));
        }
        if (s.on(NotifySettings.Sink.OPSCENTER)) {
            sinks.add(byInsight.sinkTo(new OpsCenterSink(s)).uid(OPSCENTER_SINK_UID).name("OpsCenter OpsItems"));
        }
        return sinks;
    }

    static final class Accepts implements FilterFunction<InsightNotification> {
        private static final long serialVersionUID = 1L;
        private final NotificationFilter filter;

        Accepts(NotificationFilter filter) {
            this.filter = filter;
        }

        @Override
        public boolean filter(InsightNotification n) {
            return filter.accepts(n);
        }
    }
}
