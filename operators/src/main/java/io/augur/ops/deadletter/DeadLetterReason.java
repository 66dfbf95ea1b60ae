package io.augur.ops.deadletter;

/** Why an input was not accepted. Each reason is counted in its own Flink metric: {@code augur.deadLetter.<REASON>}. */
public enum DeadLetterReason {
    /** The record is larger than {@code parse.max-record-bytes}. */
    OVERSIZED_RECORD,
    /** Decompressed content exceeds {@code parse.max-decompressed-bytes} (a gzip bomb, or a misconfigured producer). */
    DECOMPRESSED_TOO_LARGE,
    /** The record starts like gzip but does not decompress to its end. */
    TRUNCATED_GZIP,
    /** Empty record or blank content. */
    EMPTY_RECORD,
    /** Not parseable as JSON. */
    MALFORMED_JSON,
    /** Binary content that is not a length-delimited OpenTelemetry ExportMetricsServiceRequest. */
    MALFORMED_PROTOBUF,
    /** Valid JSON, but none of the formats Augur reads (metric stream, CloudTrail, CodeDeploy, Config). */
    UNKNOWN_FORMAT,
    /** A field the format requires is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (a string where a number belongs, ...). */
    WRONG_TYPE,
    /** NaN or Infinity in a statistic. */
    NON_FINITE_VALUE,
    /** A negative sample count, or min above max. */
    INVALID_VALUE,
    /** A timestamp that is not a plausible epoch time. */
    INVALID_TIMESTAMP,
    /** A datapoint or event already accepted (Kinesis and CloudTrail deliver at least once). */
    DUPLICATE
}
