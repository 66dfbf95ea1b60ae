package io.augur.ops.eval.nab;

/** A NAB corpus, label file, profile file or detector output that does not have the expected shape. */
public class NabDataException extends RuntimeException {
    public NabDataException(String message) {
        super(message);
    }

    public NabDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
