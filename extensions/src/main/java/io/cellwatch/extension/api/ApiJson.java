package io.cellwatch.extension.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.contract.AlertMessage;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.extension.alerts.WebhookStatus;
import io.cellwatch.extension.fleet.GatewayStatus;
import io.cellwatch.extension.history.AlertHistory;
import io.cellwatch.extension.live.DeltaEncoder;
import io.cellwatch.extension.live.DeltaSample;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one JSON contract shared by REST answers and WebSocket frames. Shapes (see docs/api.md):
 * <pre>
 * sample:   {"series":"tenants/…/voltage","value":3.67,"ts":1764060000000,"seq":42}   (seq only if sent)
 * snapshot: {"type":"snapshot","path":"tenants/acme","samples":[sample…]}
 *           (REST, when not the whole subtree: "total":n and, if more series follow, "next":offset; live: "more":true if snapshot-page frames
 *            with the rest follow, each {"type":"snapshot-page","path":…,"samples":[…]} and "more":true but the last)
 * delta:    {"type":"delta","path":"tenants/acme","t":1764060000000,"series":{"17":"plants/p1/…/voltage"},
 *            "samples":[[17,3.67,0,42]…]}   (live only: alias, value, ts − t, seq if sent; see DELTA)
 * tree:     {"path":"…","level":"plants","id":"p1","metrics":["soc"],"children":[tree…]}
 * error:    {"type":"error","error":"message"}
 * login:    {"user":"alice","role":"operator","tenant":"acme","token":"…"}
 * gateway:  {"tenant":"acme","gateway":"gw-1","user":"gw-1","state":"online","cause":"connect",
 *            "since":…,"lastSeen":…[,"health":PayloadWriter.gatewayHealth]}  (health: the gateway's own report)
 * gateways: {"type":"gateways","gateways":[gateway…]}        (REST answer and live snapshot)
 * change:   {"type":"gateway","gateway":gateway}              (live, one per change)
 * alert:    PayloadWriter.alert (the same object as on tenants/{t}/alerts/{id})
 * alerts:   {"type":"alerts","alerts":[alert…]}              (REST answer and live snapshot)
 * change:   {"type":"alert","alert":alert}                    (live, one per change; the acknowledge answer)
 * status:   {"type":"alert-status","tenants":[{"tenant":…,"rules":n,"webhook":{…}|null}…],"rulesProblem":…}
 * history:  {"type":"alert-events","from":…,"to":…,"limit":n,"more":false,"events":[{"tenant":…,"id":…,"rule":…,
 *            "subject":…,"severity":…,"state":…,"value":…,"at":…,"by":…}…]}   (value and by only when known)
 * </pre>
 * Stateless and thread-safe.
 */
public final class ApiJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ApiJson() {
    }

    /** A snapshot of {@code series} under {@code path}; series without a value yet are left out. */
    public static String snapshot(final String path, final Collection<Series> series) {
        return snapshot(path, series, false);
    }

    /** A live snapshot: {@link #snapshot} with each sample's alias as {@code "n"}, the name later deltas use. */
    public static String liveSnapshot(final String path, final Collection<Series> series) {
        return snapshot(path, series, true);
    }

    /**
     * A REST snapshot page: {@code page} of the {@code total} series under {@code path} (-1: the page is all of them,
     * written as a plain snapshot); {@code next} is the offset of the following page, or -1 for the last.
     */
    public static String snapshotPage(final String path, final Collection<Series> page, final int total,
                                      final int next) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "snapshot");
            g.writeStringField("path", path);
            if (total >= 0) {
                g.writeNumberField("total", total);
            }
            if (next >= 0) {
                g.writeNumberField("next", next);
            }
            g.writeArrayFieldStart("samples");
            for (final Series s : page) {
                final Sample sample = s.latest();
                if (sample != null) {
                    writeSample(g, s.key(), sample, -1);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * One page of a live snapshot: samples as {@link #liveSnapshot} writes them, {@code series.get(i)} with
     * {@code samples.get(i)}; the first page is a {@code snapshot} (it replaces what the client had under the path),
     * the others {@code snapshot-page}; {@code "more":true} while pages follow.
     */
    public static byte[] liveSnapshotPage(final String path, final List<Series> series, final List<Sample> samples,
                                          final boolean first, final boolean more) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", first ? "snapshot" : "snapshot-page");
            g.writeStringField("path", path);
            if (more) {
                g.writeBooleanField("more", true);
            }
            g.writeArrayFieldStart("samples");
            for (int i = 0; i < series.size(); i++) {
                writeSample(g, series.get(i).key(), samples.get(i), series.get(i).alias());
            }
            g.writeEndArray();
            g.writeEndObject();
        }).getBytes(StandardCharsets.UTF_8);
    }

    private static String snapshot(final String path, final Collection<Series> series, final boolean aliases) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "snapshot");
            g.writeStringField("path", path);
            g.writeArrayFieldStart("samples");
            for (final Series s : series) {
                final Sample sample = s.latest();
                if (sample != null) {
                    writeSample(g, s.key(), sample, aliases ? s.alias() : -1);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * The live fan-out's delta frames. In a frame for a path within a tenant, a sample is {@code [alias, value, dt,
     * seq]}: the alias the series' number in its tenant ({@link Series#alias}), {@code dt} its ts minus the frame's
     * {@code "t"} (the ts of its first sample). A frame carrying a series for the first time gives its key, relative
     * to the frame's path, under {@code "series"}; a live snapshot gives the alias of each sample as {@code "n"}. A
     * frame for {@code ""} or {@code tenants} (global admins) names series by key relative to the path instead. Compact
     * because a frame goes to every client of its path many times a second: in the object form a snapshot uses, the
     * key, the field names and the 13-digit ts were most of its bytes. Each sample's value is encoded once per flush;
     * each frame adds the name, dt and seq.
     */
    public static final DeltaEncoder DELTA = new DeltaEncoder() {
        @Override
        public DeltaSample sample(final Series series, final boolean announce) {
            final Sample sample = series.latest();
            return sample == null ? null
                    : new DeltaSample(series, sample, ascii(Double.toString(sample.value())), announce);
        }

        @Override
        public byte[] frame(final String path, final List<DeltaSample> samples) {
            final boolean byAlias = path.indexOf('/') > 0;
            final long base = samples.isEmpty() ? 0 : samples.get(0).sample().ts();
            final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + samples.size() * 24);
            out.writeBytes(DELTA_HEAD);
            quote(out, path);
            out.writeBytes(DELTA_BASE);
            out.writeBytes(ascii(Long.toString(base)));
            if (byAlias && samples.stream().anyMatch(DeltaSample::announce)) {
                out.writeBytes(DELTA_SERIES);
                boolean first = true;
                for (final DeltaSample sample : samples) {
                    if (sample.announce()) {
                        if (!first) {
                            out.write(',');
                        }
                        first = false;
                        out.write('"');
                        out.writeBytes(ascii(Integer.toString(sample.series().alias())));
                        out.write('"');
                        out.write(':');
                        quote(out, relative(path, sample.series().key()));
                    }
                }
                out.write('}');
            }
            out.writeBytes(DELTA_SAMPLES);
            for (int i = 0; i < samples.size(); i++) {
                final DeltaSample sample = samples.get(i);
                if (i > 0) {
                    out.write(',');
                }
                out.write('[');
                if (byAlias) {
                    out.writeBytes(ascii(Integer.toString(sample.series().alias())));
                } else {
                    quote(out, relative(path, sample.series().key()));
                }
                out.write(',');
                out.writeBytes(sample.utf8());
                out.write(',');
                out.writeBytes(ascii(Long.toString(sample.sample().ts() - base)));
                if (sample.sample().seq() >= 0) {
                    out.write(',');
                    out.writeBytes(ascii(Long.toString(sample.sample().seq())));
                }
                out.write(']');
            }
            out.writeBytes(DELTA_TAIL);
            return out.toByteArray();
        }
    };

    private static final byte[] DELTA_HEAD = utf8("{\"type\":\"delta\",\"path\":");
    private static final byte[] DELTA_BASE = utf8(",\"t\":");
    private static final byte[] DELTA_SERIES = utf8(",\"series\":{");
    private static final byte[] DELTA_SAMPLES = utf8(",\"samples\":[");
    private static final byte[] DELTA_TAIL = utf8("]}");

    /** {@code key} relative to {@code path}, which it lies under: empty if it is the path. */
    private static String relative(final String path, final String key) {
        return path.isEmpty() ? key : key.length() == path.length() ? "" : key.substring(path.length() + 1);
    }

    private static void quote(final ByteArrayOutputStream out, final String text) {
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(text));
        out.write('"');
    }

    private static byte[] ascii(final String number) {
        return number.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The subtree rooted at {@code node}, leaving out every branch outside {@code scope}. */
    public static String tree(final SeriesNode node, final Scope scope) {
        return write(g -> node(g, node, scope));
    }

    /** Who a caller is: {@code {"user":"alice","scope":"tenants/acme"}} ({@code ""}: everything). */
    public static String caller(final Scope scope) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("user", scope.user());
            g.writeStringField("scope", scope.root());
            g.writeEndObject();
        });
    }

    /** The answer to a successful login. */
    public static String login(final Principal principal, final String token) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("user", principal.user());
            g.writeStringField("role", principal.role().word());
            if (principal.tenant().isPresent()) {
                g.writeStringField("tenant", principal.tenant().get());
            }
            g.writeStringField("token", token);
            g.writeEndObject();
        });
    }

    /** Gateways' states: the REST answer and the live snapshot. */
    public static String gateways(final Collection<GatewayStatus> statuses) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "gateways");
            g.writeArrayFieldStart("gateways");
            for (final GatewayStatus status : statuses) {
                gateway(g, status);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A live frame with one gateway's new state. */
    public static String gatewayChange(final GatewayStatus status) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "gateway");
            g.writeFieldName("gateway");
            gateway(g, status);
            g.writeEndObject();
        });
    }

    private static void gateway(final JsonGenerator g, final GatewayStatus status) throws IOException {
        g.writeStartObject();
        g.writeStringField("tenant", status.key().tenant());
        g.writeStringField("gateway", status.key().clientId());
        g.writeStringField("user", status.key().user());
        g.writeStringField("state", status.state().word());
        g.writeStringField("cause", status.cause().word());
        g.writeNumberField("since", status.sinceMs());
        g.writeNumberField("lastSeen", status.lastSeenMs());
        if (status.health() != null) {
            // Written by the contract's writer, within its bounds: the report as the gateway sent it.
            g.writeFieldName("health");
            g.writeRawValue(PayloadWriter.gatewayHealth(status.health()));
        }
        g.writeEndObject();
    }

    /** Alerts: the REST answer and the live snapshot. */
    public static String alerts(final Collection<AlertMessage> alerts) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "alerts");
            g.writeArrayFieldStart("alerts");
            for (final AlertMessage alert : alerts) {
                g.writeRawValue(PayloadWriter.alert(alert));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A live frame with one alert's change, also the answer to an acknowledgement. */
    public static String alertChange(final AlertMessage alert) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "alert");
            g.writeFieldName("alert");
            g.writeRawValue(PayloadWriter.alert(alert));
            g.writeEndObject();
        });
    }

    /**
     * The alert rules and webhooks of {@code tenants} (rule counts by tenant; webhook state or null), and why the rules
     * file's current content was rejected ({@code null} if it was not, or the caller may not see it).
     */
    public static String alertStatus(final Map<String, Integer> tenants, final Map<String, WebhookStatus> webhooks,
                                     final String rulesProblem) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "alert-status");
            g.writeArrayFieldStart("tenants");
            for (final Map.Entry<String, Integer> tenant : tenants.entrySet()) {
                g.writeStartObject();
                g.writeStringField("tenant", tenant.getKey());
                g.writeNumberField("rules", tenant.getValue());
                final WebhookStatus w = webhooks.get(tenant.getKey());
                if (w == null) {
                    g.writeNullField("webhook");
                } else {
                    g.writeObjectFieldStart("webhook");
                    g.writeStringField("url", w.url());
                    g.writeNumberField("pending", w.pending());
                    g.writeNumberField("delivered", w.delivered());
                    g.writeNumberField("failedAttempts", w.failedAttempts());
                    g.writeNumberField("givenUp", w.givenUp());
                    g.writeStringField("lastError", w.lastError());
                    g.writeNumberField("lastErrorAt", w.lastErrorAt());
                    g.writeNumberField("lastDeliveredAt", w.lastDeliveredAt());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("rulesProblem", rulesProblem);
            g.writeEndObject();
        });
    }

    /** Stored alert changes of a window, newest first: {@code GET /api/v1/alerts/history}. */
    public static String alertEvents(final long from, final long to, final int limit, final AlertHistory.Page page) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "alert-events");
            g.writeNumberField("from", from);
            g.writeNumberField("to", to);
            g.writeNumberField("limit", limit);
            g.writeBooleanField("more", page.more());
            g.writeArrayFieldStart("events");
            for (final AlertHistory.Event e : page.events()) {
                g.writeStartObject();
                g.writeStringField("tenant", e.tenant());
                g.writeStringField("id", e.alertId());
                g.writeStringField("rule", e.rule());
                g.writeStringField("subject", e.subject());
                g.writeStringField("severity", e.severity());
                g.writeStringField("state", e.state());
                if (e.value() != null) {
                    g.writeNumberField("value", e.value());
                }
                g.writeNumberField("at", e.atMs());
                if (e.by() != null) {
                    g.writeStringField("by", e.by());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** An error answer. */
    public static String error(final String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** A sample object; {@code alias} as {@code "n"} unless negative. */
    private static void writeSample(final JsonGenerator g, final String key, final Sample sample, final int alias)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("series", key);
        g.writeNumberField("value", sample.value());
        g.writeNumberField("ts", sample.ts());
        if (sample.seq() >= 0) {
            g.writeNumberField("seq", sample.seq());
        }
        if (alias >= 0) {
            g.writeNumberField("n", alias);
        }
        g.writeEndObject();
    }

    private static void node(final JsonGenerator g, final SeriesNode node, final Scope scope) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", node.path());
        g.writeStringField("level", node.level());
        g.writeStringField("id", node.id());
        g.writeArrayFieldStart("metrics");
        if (scope.covers(node.path())) {
            for (final Series s : node.metrics()) {
                g.writeString(s.metric());
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("children");
        for (final SeriesNode child : node.children()) {
            if (scope.covers(child.path()) || scope.leadsTo(child.path())) {
                node(g, child, scope);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String write(final Body body) {
        final StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}
