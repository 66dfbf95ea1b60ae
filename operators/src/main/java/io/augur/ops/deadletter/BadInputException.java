package io.augur.ops.deadletter;

/** Thrown by parsers for input that must go to the dead-letter output. Carries a reason code and a precise detail. */
public final class BadInputException extends Exception {
    private final DeadLetterReason reason;

    public BadInputException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
