package io.augur.ops.notify;

import org.junit.jupiter.api.Test;

import static io.augur.ops.notify.AwsErrors.Action.FATAL;
import static io.augur.ops.notify.AwsErrors.Action.REJECT;
import static io.augur.ops.notify.AwsErrors.Action.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

class AwsErrorsTest {
    private static AwsErrors.Action action(String code, int status) {
        return AwsErrors.classify(code, status, "SNS topic t", "notify.sns.topic-arns").action();
    }

    @Test
    void throttlingServerErrorsAndNoResponseAreRetried() {
        assertThat(action("Throttling", 400)).isEqualTo(RETRY);
        assertThat(action("ThrottlingException", 400)).isEqualTo(RETRY);
        assertThat(action("TooManyUpdates", 400)).isEqualTo(RETRY);
        assertThat(action("InternalFailure", 0)).isEqualTo(RETRY);
        assertThat(action("InternalServerError", 500)).isEqualTo(RETRY);
        assertThat(action(null, 503)).isEqualTo(RETRY);
        assertThat(action(null, 0)).isEqualTo(RETRY);
        assertThat(action("Whatever", 429)).isEqualTo(RETRY);
    }

    @Test
    void setupErrorsAreFatalAndNameTheFix() {
        AwsErrors.Decision notFound = AwsErrors.classify("NotFound", 404, "SNS topic arn:aws:sns:us-east-1:1:t", "notify.sns.topic-arns");
        assertThat(notFound.action()).isEqualTo(FATAL);
        assertThat(notFound.fix()).contains("arn:aws:sns:us-east-1:1:t does not exist").contains("notify.sns.topic-arns");
        assertThat(action("AuthorizationError", 403)).isEqualTo(FATAL);
        assertThat(action("AccessDeniedException", 400)).isEqualTo(FATAL);
        AwsErrors.Decision creds = AwsErrors.classify("InvalidClientTokenId", 403, "x", "y");
        assertThat(creds.action()).isEqualTo(FATAL);
        assertThat(creds.fix()).contains("notify.credentials");
        assertThat(action("ResourceNotFoundException", 400)).isEqualTo(FATAL);
        assertThat(AwsErrors.classifyClientFailure("Unable to load credentials from any of the providers", "x").action()).isEqualTo(FATAL);
        assertThat(AwsErrors.classifyClientFailure("Connection reset", "x").action()).isEqualTo(RETRY);
    }

    @Test
    void anInvalidEntryIsRejectedAlone() {
        assertThat(action("InvalidArgument", 400)).isEqualTo(REJECT);
        assertThat(action("MalformedDetail", 400)).isEqualTo(REJECT);
        assertThat(action("OpsItemInvalidParameterException", 400)).isEqualTo(REJECT);
    }

    @Test
    void backoffGrowsToItsCeilingAndResets() {
        Backoff b = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2));
        assertThat(b.ceilingMs(1)).isEqualTo(100);
        assertThat(b.ceilingMs(3)).isEqualTo(400);
        assertThat(b.ceilingMs(30)).isEqualTo(2_000);
        for (int i = 1; i <= 6; i++) {
            long d = b.nextDelayMs();
            assertThat(d).isBetween(b.ceilingMs(i) / 2, b.ceilingMs(i));
        }
        b.success();
        assertThat(b.failures()).isZero();
    }
}
