package io.cellwatch.contract;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;

/**
 * Writes payloads by the topic contract; the only place payload JSON is built. What it writes,
 * {@link PayloadParser} reads back to the same values, {@code ts} and {@code seq}.
 * <ul>
 *   <li>metric leaf: {@code {"v":3.671,"ts":…,"seq":…}}, or a bare number;</li>
 *   <li>node: {@code {"voltage":3.67,"temperature":29.1,"ts":…,"seq":…}};</li>
 *   <li>{@code ts} (epoch milliseconds) and {@code seq} are left out when {@link ParsedPayload#NO_TS} /
 *   {@link ParsedPayload#NO_SEQ}.</li>
 * </ul>
 * A non-finite value, a bad or reserved metric name or a negative {@code seq} (other than {@code NO_SEQ}) throws
 * {@link IllegalArgumentException}: the broker would refuse the payload. Stateless and thread-safe.
 */
public final class PayloadWriter {

    /** Payload of a gateway's retained status topic while it is connected. */
    public static final String ONLINE = "online";
    /** Payload of a gateway's status topic after it left (its will). */
    public static final String OFFLINE = "offline";

    private PayloadWriter() {
    }

    /** A metric leaf payload: {@code {"v":…,"ts":…,"seq":…}}. */
    public static String metric(final double value, final long ts, final long seq) {
        final StringBuilder json = new StringBuilder(48).append("{\"v\":");
        number(json, "v", value);
        return tail(json, ts, seq);
    }

    /** A metric leaf payload as a bare number ({@code 3.671}): no {@code ts}, no {@code seq}. */
    public static String bareMetric(final double value) {
        final StringBuilder json = new StringBuilder(24);
        number(json, "value", value);
        return json.toString();
    }

    /** A node payload of the metrics {@code names[i] = values[i]}, in that order. */
    public static String node(final List<String> names, final double[] values, final long ts, final long seq) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " metric names for " + values.length + " values");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a node payload needs at least one metric");
        }
        final StringBuilder json = new StringBuilder(24 + 24 * values.length).append('{');
        for (int i = 0; i < values.length; i++) {
            final String name = names.get(i);
            if (name == null || name.equals("ts") || name.equals("seq")) {
                throw new IllegalArgumentException("metric name '" + name + "' is not allowed");
            }
            try {
                TopicResolver.checkMetricName(name);
            } catch (final Rejection e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (names.subList(0, i).contains(name)) {
                throw new IllegalArgumentException("metric '" + name + "' appears twice");
            }
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(name).append("\":");
            number(json, name, values[i]);
        }
        return tail(json, ts, seq);
    }

    /** Retained plant metadata for {@code …/plants/{id}/meta}: {@code {"name":…,"lat":…,"lon":…}}. */
    public static String plantMeta(final String name, final double lat, final double lon) {
        return plantMeta(name, lat, lon, List.of());
    }

    /**
     * Retained plant metadata naming the client ids of the plant's gateways too:
     * {@code {"name":…,"lat":…,"lon":…,"gateways":[…]}} (no {@code gateways} field when there are none).
     */
    public static String plantMeta(final String name, final double lat, final double lon,
                                   final List<String> gateways) {
        return plantMeta(name, lat, lon, gateways, Double.NaN);
    }

    /**
     * Retained plant metadata with the rated capacity of each of its packs too, {@code "packRatedAh":280} (left out
     * when {@code packRatedAh} is NaN).
     */
    public static String plantMeta(final String name, final double lat, final double lon,
                                   final List<String> gateways, final double packRatedAh) {
        final JsonStringEncoder quote = JsonStringEncoder.getInstance();
        final StringBuilder json = new StringBuilder(64).append("{\"name\":\"")
                .append(quote.quoteAsString(name)).append("\",\"lat\":");
        number(json, "lat", lat);
        json.append(",\"lon\":");
        number(json, "lon", lon);
        if (!gateways.isEmpty()) {
            json.append(",\"gateways\":[");
            for (int i = 0; i < gateways.size(); i++) {
                json.append(i == 0 ? "\"" : ",\"").append(quote.quoteAsString(gateways.get(i))).append('"');
            }
            json.append(']');
        }
        if (!Double.isNaN(packRatedAh)) {
            json.append(",\"packRatedAh\":");
            number(json, "packRatedAh", packRatedAh);
        }
        return json.append('}').toString();
    }

    /**
     * The broker's retained state of one gateway, for {@code tenants/{t}/gateways/{clientId}/status}:
     * {@code {"gateway":…,"user":…,"state":"offline","cause":"will","since":…,"lastSeen":…}} (times epoch ms).
     */
    public static String gatewayStatus(final String clientId, final String user, final String state,
                                       final String cause, final long since, final long lastSeen) {
        final JsonStringEncoder quote = JsonStringEncoder.getInstance();
        return new StringBuilder(128).append("{\"gateway\":\"").append(quote.quoteAsString(clientId))
                .append("\",\"user\":\"").append(quote.quoteAsString(user))
                .append("\",\"state\":\"").append(quote.quoteAsString(state))
                .append("\",\"cause\":\"").append(quote.quoteAsString(cause))
                .append("\",\"since\":").append(since)
                .append(",\"lastSeen\":").append(lastSeen).append('}').toString();
    }

    /**
     * As {@link #gatewayStatus(String, String, String, String, long, long)}, with the gateway's own health report
     * ({@link #gatewayHealth}, already written) as the field {@code health} when it is not {@code null}.
     */
    public static String gatewayStatus(final String clientId, final String user, final String state,
                                       final String cause, final long since, final long lastSeen,
                                       final String healthJson) {
        final String status = gatewayStatus(clientId, user, state, cause, since, lastSeen);
        return healthJson == null ? status
                : status.substring(0, status.length() - 1) + ",\"health\":" + healthJson + '}';
    }

    /**
     * A gateway's health report for {@code …/gateways/{clientId}/status/health}:
     * {@code {"state":…,"sources":[{"name":…,"state":…,"detail":…,"problems":[{"request":…,"error":…,"failures":…,
     * "missing":…,"series":[…]}]}]}}, within the bounds of {@link GatewayHealth}: texts cut to
     * {@link GatewayHealth#MAX_TEXT} characters, at most
     * {@link GatewayHealth#MAX_SOURCES} sources, {@link GatewayHealth#MAX_PROBLEMS} problems and
     * {@link GatewayHealth#MAX_SERIES} series per problem, and never more than {@link GatewayHealth#MAX_BYTES} bytes;
     * what is left out is counted ({@code moreSources}, {@code moreProblems}, {@code missing}).
     */
    public static String gatewayHealth(final GatewayHealth health) {
        final BoundedJson json = new BoundedJson();
        json.raw("{").field("state", health.state()).raw(",\"sources\":[");
        int sources = 0;
        int problems = 0;
        for (final GatewayHealth.Source source : health.sources()) {
            final long sourceMark = json.mark();
            if (sources == GatewayHealth.MAX_SOURCES) {
                break;
            }
            json.raw(sources == 0 ? "{" : ",{").field("name", source.name()).raw(",")
                    .field("state", source.state()).raw(",").field("detail", source.detail()).raw(",\"problems\":[");
            if (json.over()) {
                json.reset(sourceMark);
                break;
            }
            int listed = 0;
            for (final GatewayHealth.Problem problem : source.problems()) {
                final long mark = json.mark();
                if (problems == GatewayHealth.MAX_PROBLEMS) {
                    break;
                }
                json.raw(listed == 0 ? "{" : ",{").field("request", problem.request()).raw(",")
                        .field("error", problem.error()).raw(",\"failures\":" + problem.failures() + ",\"missing\":"
                                + Math.max(problem.missing(), problem.series().size()) + ",\"series\":[");
                if (json.over()) {
                    json.reset(mark);
                    break;
                }
                int named = 0;
                for (final String series : problem.series()) {
                    final long seriesMark = json.mark();
                    if (named == GatewayHealth.MAX_SERIES) {
                        break;
                    }
                    json.raw(named == 0 ? "" : ",").text(series);
                    if (json.over()) {
                        json.reset(seriesMark);
                        break;
                    }
                    named++;
                }
                json.raw("]}");
                listed++;
                problems++;
            }
            json.raw("]");
            final int moreProblems = source.problems().size() - listed + source.moreProblems();
            json.raw(moreProblems > 0 ? ",\"moreProblems\":" + moreProblems + "}" : "}");
            sources++;
        }
        final int moreSources = health.sources().size() - sources + health.moreSources();
        return json.raw(moreSources > 0 ? "],\"moreSources\":" + moreSources + "}" : "]}").toString();
    }

    /**
     * JSON written with a byte budget ({@link GatewayHealth#MAX_BYTES}, less room for what closes it): a part that
     * does not fit is taken back ({@link #reset}) and counted by the caller instead. Texts are cut to
     * {@link GatewayHealth#MAX_TEXT} characters, the cut marked with an ellipsis.
     */
    private static final class BoundedJson {
        private static final int BUDGET = GatewayHealth.MAX_BYTES - 512;
        private final StringBuilder json = new StringBuilder(256);
        /** UTF-8 bytes beyond one per character written so far. */
        private int extraBytes;

        BoundedJson raw(final String text) {
            json.append(text);
            return this;
        }

        BoundedJson field(final String name, final String value) {
            json.append('"').append(name).append("\":");
            return text(value);
        }

        BoundedJson text(final String value) {
            String text = value == null ? "" : value;
            if (text.length() > GatewayHealth.MAX_TEXT) {
                text = text.substring(0, GatewayHealth.MAX_TEXT - 1) + "…";
            }
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= 0x80) {
                    extraBytes += text.charAt(i) >= 0x800 ? 2 : 1;
                }
            }
            json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
            return this;
        }

        /** Where the JSON is now: its length and extra bytes, to {@link #reset} to. */
        long mark() {
            return ((long) extraBytes << 32) | json.length();
        }

        void reset(final long mark) {
            json.setLength((int) mark);
            extraBytes = (int) (mark >>> 32);
        }

        boolean over() {
            return json.length() + extraBytes > BUDGET;
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }

    /**
     * An alert: {@code {"id":…,"tenant":…,"rule":…,"kind":…,"severity":…,"subject":…,"state":…,"value":…,
     * "threshold":…,"raisedAt":…,"acknowledgedAt":…,"acknowledgedBy":…,"clearedAt":…,"raises":…,"at":…}}; the
     * acknowledgement and clear fields only when set. A non-finite value is written as {@code null}.
     */
    public static String alert(final AlertMessage alert) {
        final StringBuilder json = new StringBuilder(320).append('{');
        string(json, "id", alert.id()).append(',');
        string(json, "tenant", alert.tenant()).append(',');
        string(json, "rule", alert.rule()).append(',');
        string(json, "kind", alert.kind()).append(',');
        string(json, "severity", alert.severity()).append(',');
        string(json, "subject", alert.subject()).append(',');
        string(json, "state", alert.state()).append(",\"value\":");
        finiteOrNull(json, alert.value()).append(",\"threshold\":");
        finiteOrNull(json, alert.threshold()).append(",\"raisedAt\":").append(alert.raisedAt());
        if (alert.acknowledgedAt() > 0) {
            json.append(",\"acknowledgedAt\":").append(alert.acknowledgedAt()).append(',');
            string(json, "acknowledgedBy", alert.acknowledgedBy());
        }
        if (alert.clearedAt() > 0) {
            json.append(",\"clearedAt\":").append(alert.clearedAt());
        }
        return json.append(",\"raises\":").append(alert.raises()).append(",\"at\":").append(alert.at()).append('}')
                .toString();
    }

    /**
     * The body of an alert webhook call: {@code {"type":"alert","event":"raised","delivery":"…","alert":{…}}}, where
     * {@code event} is the alert's state and {@code delivery} is unique per event (a receiver can drop a repeat).
     */
    public static String alertWebhook(final AlertMessage alert) {
        final StringBuilder json = new StringBuilder(400).append("{\"type\":\"alert\",");
        string(json, "event", alert.state()).append(',');
        string(json, "delivery", alert.tenant() + "/" + alert.id() + "/" + alert.raises() + "/" + alert.state());
        return json.append(",\"alert\":").append(alert(alert)).append('}').toString();
    }

    private static StringBuilder string(final StringBuilder json, final String name, final String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        return json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }

    private static StringBuilder finiteOrNull(final StringBuilder json, final double value) {
        if (!Double.isFinite(value)) {
            return json.append("null");
        }
        number(json, "value", value);
        return json;
    }

    private static void number(final StringBuilder json, final String name, final double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("'" + name + "' is not finite: " + value);
        }
        // Integral values without ".0" keep the payload short; Double.toString is exact and valid JSON otherwise.
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.append((long) value);
        } else {
            json.append(value);
        }
    }

    private static String tail(final StringBuilder json, final long ts, final long seq) {
        if (ts != ParsedPayload.NO_TS) {
            json.append(",\"ts\":").append(ts);
        }
        if (seq != ParsedPayload.NO_SEQ) {
            SeqRule.check(seq);
            json.append(",\"seq\":").append(seq);
        }
        return json.append('}').toString();
    }
}
