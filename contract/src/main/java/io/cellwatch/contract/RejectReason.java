package io.cellwatch.contract;

/** Why a telemetry publish was refused. Each reason has its own counter; {@link #metricName()} names it. */
public enum RejectReason {
    /** A topic level is empty ({@code a//b}, trailing or leading slash). */
    EMPTY_LEVEL(true),
    /** A topic level has a character outside the allowed set, is too long, or the topic is too deep. */
    BAD_TOPIC(true),
    /** The payload has no bytes. */
    EMPTY_PAYLOAD(false),
    /** The payload is larger than {@code ingest.max-payload-bytes}. */
    OVERSIZE(false),
    /** The payload is not the JSON the topic's kind requires. */
    BAD_JSON(false),
    /** A metric value is not a number. */
    NOT_A_NUMBER(false),
    /** A metric value is NaN or infinite. */
    NON_FINITE(false),
    /** A node payload has no numeric field, or a metric object has no {@code v}. */
    NO_METRICS(false),
    /** {@code seq} is not a non-negative integer. */
    BAD_SEQ(false),
    /** Over a quota of the tenant (series, new series per minute, metrics per payload, retained bytes or messages). */
    QUOTA_EXCEEDED(false),
    /** A defect in cellwatch; logged with its stack trace. The broker keeps serving. */
    INTERNAL(false);

    private final boolean topicProblem;

    RejectReason(final boolean topicProblem) {
        this.topicProblem = topicProblem;
    }

    /** True if the topic, not the payload, is at fault (MQTT 5: TOPIC_NAME_INVALID vs PAYLOAD_FORMAT_INVALID). */
    public boolean topicProblem() {
        return topicProblem;
    }

    /** The lower-case name used in metric names and API answers, e.g. {@code bad_json}. */
    public String metricName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
