package io.augur.ops.notify;

import java.util.Locale;
import java.util.Set;

/**
 * What to do about an AWS error: retry it (throttling, server errors, timeouts), drop and report the one entry it
 * concerns (the entry itself is invalid and would fail again), or stop the job because the setup is wrong (credentials,
 * permissions, a topic or bus that does not exist). Classification is by the service's error code and HTTP status.
 */
public final class AwsErrors {
    public enum Action { RETRY, REJECT, FATAL }

    private static final Set<String> THROTTLING = Set.of("throttling", "throttlingexception", "throttled", "throttledexception",
            "toomanyrequestsexception", "requestlimitexceeded", "requestthrottled", "requestthrottledexception",
            "kmsthrottling", "kmsthrottlingexception", "toomanyupdates", "slowdown", "provisionedthroughputexceededexception",
            "priorrequestnotcomplete", "bandwidthlimitexceeded", "transactioninprogressexception", "ec2throttledexception");
    private static final Set<String> TRANSIENT = Set.of("internalfailure", "internalerror", "internalexception", "internalserviceerror",
            "internalservererror", "internalservererrorexception", "serviceunavailable", "serviceunavailableexception",
            "requesttimeout", "requesttimeoutexception", "kmsinternalexception", "kmsunavailable", "kmsunavailableexception");
    private static final Set<String> CREDENTIALS = Set.of("unrecognizedclientexception", "invalidclienttokenid", "signaturedoesnotmatch",
            "expiredtoken", "expiredtokenexception", "missingauthenticationtoken", "missingauthenticationtokenexception",
            "incompletesignature", "incompletesignatureexception", "invalidsignatureexception", "requestexpired");
    private static final Set<String> PERMISSION = Set.of("accessdenied", "accessdeniedexception", "authorizationerror",
            "authorizationerrorexception", "notauthorizedforsourceexception", "notauthorizedfordetailtypeexception",
            "kmsaccessdenied", "kmsaccessdeniedexception", "kmsdisabled", "kmsdisabledexception", "optinrequired");
    private static final Set<String> NOT_FOUND = Set.of("notfound", "notfoundexception", "resourcenotfoundexception");

    private AwsErrors() {}

    /** A decision and, for fatal errors, what the operator has to fix. */
    public record Decision(Action action, String fix) {}

    /**
     * @param code the service's error code (may be null for client-side failures)
     * @param status HTTP status, 0 when there was no response (I/O error, timeout)
     * @param what the destination in words, e.g. {@code SNS topic arn:aws:sns:…} — used in fix messages
     * @param settings the configuration keys that name the destination, e.g. {@code notify.sns.topic-arns}
     */
    public static Decision classify(String code, int status, String what, String settings) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        if (THROTTLING.contains(c) || status == 429) return new Decision(Action.RETRY, null);
        if (TRANSIENT.contains(c) || status >= 500 || status == 0) return new Decision(Action.RETRY, null);
        if (CREDENTIALS.contains(c)) {
            return new Decision(Action.FATAL, "AWS rejected the credentials (" + code + ") calling " + what
                    + ": check notify.credentials.* (or the role the job runs with) and notify.region");
        }
        if (PERMISSION.contains(c) || status == 403) {
            return new Decision(Action.FATAL, "not allowed (" + code + ") to deliver to " + what
                    + ": grant the job's role the permission named in the error, or fix " + settings);
        }
        if (NOT_FOUND.contains(c) || status == 404) {
            return new Decision(Action.FATAL, what + " does not exist (" + code + "): create it, or fix " + settings + " and notify.region");
        }
        return new Decision(Action.REJECT, null);
    }

    /** Client-side failures without a response: retried, except when the client itself is misconfigured. */
    public static Decision classifyClientFailure(String message, String what) {
        String m = message == null ? "" : message;
        if (m.contains("Unable to load credentials") || m.contains("Unable to load region") || m.contains("Unable to marshall")) {
            return new Decision(Action.FATAL, "cannot call " + what + ": " + m + " (set notify.credentials.* and notify.region)");
        }
        return new Decision(Action.RETRY, null);
    }
}
