package io.augur.job.sink.notify;

/** A notification sink cannot go on: the message says what is wrong and what to fix. */
public final class NotificationSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotificationSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
