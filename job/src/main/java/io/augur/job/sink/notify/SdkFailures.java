package io.augur.job.sink.notify;

import io.augur.ops.notify.AwsErrors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Classifies what an SDK call failed with, see {@link AwsErrors}. */
final class SdkFailures {
    private SdkFailures() {}

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) c = c.getCause();
        return c;
    }

    static AwsErrors.Decision classify(Throwable t, String what, String settings) {
        Throwable c = unwrap(t);
        if (c instanceof AwsServiceException e) {
            if (e.isThrottlingException()) return new AwsErrors.Decision(AwsErrors.Action.RETRY, null);
            return AwsErrors.classify(code(e), e.statusCode(), what, settings);
        }
        if (c instanceof SdkClientException) return AwsErrors.classifyClientFailure(c.getMessage(), what);
        if (c instanceof InterruptedException) return new AwsErrors.Decision(AwsErrors.Action.FATAL, "interrupted while delivering to " + what);
        return new AwsErrors.Decision(AwsErrors.Action.FATAL, "unexpected failure delivering to " + what + ": " + c);
    }

    static String code(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof AwsServiceException e && e.awsErrorDetails() != null) return e.awsErrorDetails().errorCode();
        return c.getClass().getSimpleName();
    }

    /** Error code and message, never the request (which could carry credentials in headers). */
    static String describe(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof AwsServiceException e) {
            String msg = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
            return code(e) + " (HTTP " + e.statusCode() + "): " + msg;
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
