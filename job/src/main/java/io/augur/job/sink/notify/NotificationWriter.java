package io.augur.job.sink.notify;

import io.augur.ops.notify.AwsErrors;
import io.augur.ops.notify.Backoff;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the three notification writers share: re-queueing with backoff (after the SDK's own retries), fatal errors
 * that stop the job with a message naming the fix, and dropped entries that are logged and counted
 * ({@code augur.notify.rejected}; retries in {@code augur.notify.retried}).
 */
abstract class NotificationWriter<E extends Serializable> extends AsyncSinkWriter<InsightNotification, E> {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationWriter.class);
    protected final NotifySettings settings;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Counter retried;
    private final Counter rejected;
    private final Counter delivered;

    NotificationWriter(ElementConverter<InsightNotification, E> converter, Sink.InitContext context, AsyncSinkWriterConfiguration config,
                       Collection<BufferedRequestState<E>> states, NotifySettings settings, String name) {
        super(converter, context, config, states);
        this.settings = settings;
        this.backoff = new Backoff(settings.retryBackoff, settings.retryMaxBackoff);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "augur-" + name + "-retry");
            t.setDaemon(true);
            return t;
        });
        this.retried = context.metricGroup().counter("augur.notify.retried");
        this.rejected = context.metricGroup().counter("augur.notify.rejected");
        this.delivered = context.metricGroup().counter("augur.notify.delivered");
    }

    /** Sends {@code entries} again after the backoff; the request stays in flight until then. */
    protected void retryLater(ResultHandler<E> handler, List<E> entries, String why) {
        long delay = backoff.nextDelayMs();
        retried.inc(entries.size());
        LOG.warn("{}: {} notification(s) will be sent again in {} ms: {}", name(), entries.size(), delay, why);
        timer.schedule(() -> handler.retryForEntries(entries), delay, TimeUnit.MILLISECONDS);
    }

    protected void succeeded(int count) {
        backoff.success();
        delivered.inc(count);
    }

    protected void fatal(ResultHandler<E> handler, AwsErrors.Decision d, Throwable cause) {
        String msg = name() + ": " + d.fix() + (cause == null ? "" : " [" + SdkFailures.describe(cause) + "]");
        LOG.error(msg);
        handler.completeExceptionally(new NotificationSinkException(msg, cause == null ? null : SdkFailures.unwrap(cause)));
    }

    /**
     * A whole request failed: sent again after the backoff when AWS throttled or failed transiently, otherwise the job
     * stops with the fix; {@code invalid} is the fix when AWS called the request itself invalid.
     */
    protected void failedRequest(ResultHandler<E> handler, List<E> entries, Throwable error, String target, String settingsKey, String invalid) {
        AwsErrors.Decision d = SdkFailures.classify(error, target, settingsKey);
        switch (d.action()) {
            case RETRY:
                retryLater(handler, entries, SdkFailures.describe(error));
                break;
            case FATAL:
                fatal(handler, d, error);
                break;
            default:
                fatal(handler, new AwsErrors.Decision(AwsErrors.Action.FATAL, invalid), error);
        }
    }

    /** The entry can never be delivered as it is: logged with its id and dropped, so it does not block the others. */
    protected void reject(String notificationId, String why) {
        rejected.inc();
        LOG.error("{}: notification {} was rejected and is dropped: {}", name(), notificationId, why);
    }

    protected abstract String name();

    @Override
    public void close() {
        timer.shutdownNow();
        super.close();
    }
}
