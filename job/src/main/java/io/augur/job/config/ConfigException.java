package io.augur.job.config;

/** A configuration problem; the message says what is wrong and how to fix it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
