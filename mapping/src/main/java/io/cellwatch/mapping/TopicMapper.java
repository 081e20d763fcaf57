package io.cellwatch.mapping;

import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.contract.TopicResolver;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maps a foreign publish by the rules in force: the first rule whose filter matches the topic decides the tenant and
 * node (ids from payload fields or {@code +} levels, first present wins), the metrics (numeric payload fields, each
 * optional) and the time (a named field, kept only if {@link ForeignTimestamp#plausible}). Stateless but for the
 * rules supplier; thread-safe.
 */
public final class TopicMapper {

    private final Supplier<MappingRules> rules;
    private final Clock clock;
    private final int maxPayloadBytes;

    /**
     * @param rules           the rules in force, asked at every publish (a reload applies to the next one)
     * @param clock           server time, for a missing or implausible device time
     * @param maxPayloadBytes largest payload accepted
     */
    public TopicMapper(final Supplier<MappingRules> rules, final Clock clock, final int maxPayloadBytes) {
        this.rules = rules;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The rule in force for {@code topic}, or {@code null}: cheap, no payload read. */
    public TopicRule ruleFor(final String topic) {
        return rules.get().ruleFor(topic).orElse(null);
    }

    /**
     * Maps a publish to {@code topic}, which {@code rule} matches.
     *
     * @throws Rejection if the payload is not a JSON object, has no mapped metric, or an id is missing or not a valid
     *                   topic level
     */
    public MappedSample map(final TopicRule rule, final String topic, final ByteBuffer payload) throws Rejection {
        final List<String> wildcards = rule.match(topic);
        if (wildcards == null) {
            throw new IllegalArgumentException("rule '" + rule.filter() + "' does not match '" + topic + "'");
        }
        final ForeignPayload fields = ForeignPayload.parse(payload, maxPayloadBytes);
        final String tenant = resolve(rule.tenant(), "tenant", fields, wildcards);
        TopicBuilder node;
        try {
            node = TopicBuilder.tenant(tenant);
            for (int i = 0; i < rule.levelNames().size(); i++) {
                final String name = rule.levelNames().get(i);
                node = node.child(name, resolve(rule.ids().get(i), "id of level '" + name + "'", fields, wildcards));
            }
        } catch (final IllegalArgumentException e) {
            throw new Rejection(RejectReason.BAD_TOPIC, "mapped topic: " + e.getMessage());
        }
        final List<String> names = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        if (rule.metrics().isEmpty()) {
            final Set<String> skip = Set.copyOf(rule.idFields());
            for (final Map.Entry<String, ForeignPayload.Field> e : fields.fields().entrySet()) {
                if (e.getValue().numeric() && !skip.contains(e.getKey()) && !e.getKey().equals(rule.tsField())) {
                    TopicResolver.checkMetricName(e.getKey());
                    add(names, values, e.getKey(), e.getValue());
                }
            }
        } else {
            for (final String metric : rule.metrics()) {
                final ForeignPayload.Field field = fields.field(metric);
                if (field != null && field.numeric()) {
                    add(names, values, metric, field);
                }
            }
        }
        if (names.isEmpty()) {
            throw new Rejection(RejectReason.NO_METRICS, "payload has none of the mapped metrics "
                    + (rule.metrics().isEmpty() ? "(no numeric field)" : rule.metrics().toString()));
        }
        final long now = clock.millis();
        long ts = ForeignTimestamp.NONE;
        if (rule.tsField() != null) {
            final ForeignPayload.Field field = fields.field(rule.tsField());
            if (field != null) {
                ts = field.numeric() ? ForeignTimestamp.epoch(field.number()) : ForeignTimestamp.parse(field.text());
            }
        }
        final boolean kept = ForeignTimestamp.plausible(ts, now);
        final double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return new MappedSample(tenant, node.node(), names, array, kept ? ts : now, kept, rule);
    }

    /**
     * The node a publish without payload to {@code topic} (a retained clear) reaches, as far as the topic tells it:
     * ids resolve as for an empty payload (literals and {@code +} levels), and the node stops above the first id only
     * a payload field could give. {@code null} when the tenant itself comes from the payload.
     *
     * @throws Rejection if a {@code +} level is not a valid id
     */
    public String nodeFromTopic(final TopicRule rule, final String topic) throws Rejection {
        final List<String> wildcards = rule.match(topic);
        if (wildcards == null) {
            throw new IllegalArgumentException("rule '" + rule.filter() + "' does not match '" + topic + "'");
        }
        final ForeignPayload none = ForeignPayload.empty();
        final String tenant;
        try {
            tenant = resolve(rule.tenant(), "tenant", none, wildcards);
        } catch (final Rejection fromPayload) {
            return null;
        }
        TopicBuilder node;
        try {
            node = TopicBuilder.tenant(tenant);
            for (int i = 0; i < rule.levelNames().size(); i++) {
                final String id;
                try {
                    id = resolve(rule.ids().get(i), "id", none, wildcards);
                } catch (final Rejection fromPayload) {
                    break;
                }
                node = node.child(rule.levelNames().get(i), id);
            }
        } catch (final IllegalArgumentException e) {
            throw new Rejection(RejectReason.BAD_TOPIC, "mapped topic: " + e.getMessage());
        }
        return node.node();
    }

    private static void add(final List<String> names, final List<Double> values, final String name,
                            final ForeignPayload.Field field) throws Rejection {
        if (!Double.isFinite(field.number())) {
            throw new Rejection(RejectReason.NON_FINITE, "'" + name + "' is not finite");
        }
        names.add(name);
        values.add(field.number());
    }

    private static String resolve(final IdTemplate template, final String what, final ForeignPayload fields,
                                  final List<String> wildcards) throws Rejection {
        if (template.literal() != null) {
            return template.literal();
        }
        for (final IdSource source : template.alternatives()) {
            if (source.field() == null) {
                return wildcards.get(source.wildcard() - 1);
            }
            final ForeignPayload.Field field = fields.field(source.field());
            if (field != null && !field.text().isBlank()) {
                return field.text();
            }
        }
        throw new Rejection(RejectReason.BAD_JSON, "payload has no value for the " + what + " " + template);
    }
}
