package io.cellwatch.mapping;

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
 * The one mapping engine, for the server's mapping rules and the gateway's local-MQTT rules: the first rule whose
 * filter matches the topic decides the tenant and node (ids from payload fields, {@code +} levels or topic levels,
 * first present wins), the metrics (numeric and boolean payload fields, each optional; a field that cannot be a metric
 * is skipped) and the time (a named field, kept only if the {@link DeviceTimePolicy} keeps it). Stateless but for the
 * rules supplier; thread-safe.
 */
public final class TopicMapper {

    private final Supplier<MappingRules> rules;
    private final Clock clock;
    private final int maxPayloadBytes;
    private final DeviceTimePolicy deviceTime;

    /**
     * The server's mapper: device times kept by {@link ForeignTimestamp#plausible}.
     *
     * @param rules           the rules in force, asked at every publish (a reload applies to the next one)
     * @param clock           server time, for a missing or implausible device time
     * @param maxPayloadBytes largest payload accepted
     */
    public TopicMapper(final Supplier<MappingRules> rules, final Clock clock, final int maxPayloadBytes) {
        this(rules, clock, maxPayloadBytes, ForeignTimestamp::plausible);
    }

    /**
     * @param rules           the rules in force, asked at every publish (a reload applies to the next one)
     * @param clock           time for a missing or dropped device time
     * @param maxPayloadBytes largest payload accepted
     * @param deviceTime      which device times to keep
     */
    public TopicMapper(final Supplier<MappingRules> rules, final Clock clock, final int maxPayloadBytes,
                       final DeviceTimePolicy deviceTime) {
        this.rules = rules;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
        this.deviceTime = deviceTime;
    }

    /** A mapper of fixed topic rules (the gateway's, from its config), first match wins. */
    public static TopicMapper of(final List<TopicRule> topicRules, final Clock clock, final int maxPayloadBytes,
                                 final DeviceTimePolicy deviceTime) {
        final MappingRules fixed = new MappingRules(topicRules, List.of());
        return new TopicMapper(() -> fixed, clock, maxPayloadBytes, deviceTime);
    }

    /** The rule in force for {@code topic}, or {@code null}: cheap, no payload read. */
    public TopicRule ruleFor(final String topic) {
        return rules.get().ruleFor(topic).orElse(null);
    }

    /**
     * Maps a publish to {@code topic}, which {@code rule} matches, refusing it as the server answers.
     *
     * @throws Rejection if the payload is not a JSON object, has no mapped metric, or an id is missing or not a valid
     *                   topic level
     */
    public MappedSample map(final TopicRule rule, final String topic, final ByteBuffer payload) throws Rejection {
        try {
            return sample(rule, topic, payload);
        } catch (final Unmapped unmapped) {
            throw unmapped.rejection();
        }
    }

    /**
     * Maps a publish to {@code topic}, which {@code rule} matches.
     *
     * @throws Unmapped saying which {@link MappingFault} stopped it
     */
    public MappedSample sample(final TopicRule rule, final String topic, final ByteBuffer payload) throws Unmapped {
        final List<String> wildcards = rule.match(topic);
        if (wildcards == null) {
            throw new IllegalArgumentException("rule '" + rule.filter() + "' does not match '" + topic + "'");
        }
        final ForeignPayload fields = ForeignPayload.parse(payload, maxPayloadBytes);
        final String tenant = resolve(rule.tenant(), "tenant", fields, topic, wildcards);
        TopicBuilder node;
        try {
            node = TopicBuilder.tenant(tenant);
            for (int i = 0; i < rule.levelNames().size(); i++) {
                final String name = rule.levelNames().get(i);
                node = node.child(name, resolve(rule.ids().get(i), "id of level '" + name + "'", fields, topic,
                        wildcards));
            }
        } catch (final IllegalArgumentException e) {
            throw new Unmapped(MappingFault.BAD_ID, "mapped topic: " + e.getMessage());
        }
        final List<String> names = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        if (rule.metrics().isEmpty()) {
            final Set<String> skip = Set.copyOf(rule.idFields());
            for (final Map.Entry<String, ForeignPayload.Field> e : fields.fields().entrySet()) {
                final String name = e.getKey();
                if (e.getValue().metric() && !skip.contains(name) && !name.equals(rule.tsField())
                        && validMetricName(name)) {
                    names.add(name);
                    values.add(e.getValue().number());
                }
            }
        } else {
            for (final String metric : rule.metrics()) {
                final ForeignPayload.Field field = fields.field(metric);
                if (field != null && field.metric()) {
                    names.add(metric);
                    values.add(field.number());
                }
            }
        }
        if (names.isEmpty()) {
            throw new Unmapped(MappingFault.NO_METRIC, "payload has none of the mapped metrics "
                    + (rule.metrics().isEmpty() ? "(no numeric field)" : rule.metrics().toString()));
        }
        final long now = clock.millis();
        long ts = ForeignTimestamp.NONE;
        if (rule.tsField() != null) {
            final ForeignPayload.Field field = fields.field(rule.tsField());
            if (field != null) {
                ts = switch (field.kind()) {
                    case NUMBER -> ForeignTimestamp.epoch(field.number());
                    case STRING -> ForeignTimestamp.parse(field.text());
                    case BOOLEAN -> ForeignTimestamp.NONE;
                };
            }
        }
        final boolean kept = deviceTime.keeps(ts, now);
        final double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return new MappedSample(tenant, node.node(), names, array, kept ? ts : now, kept, rule);
    }

    /**
     * The node a publish without payload to {@code topic} (a retained clear) reaches, as far as the topic tells it:
     * ids resolve as for an empty payload (literals and topic levels), and the node stops above the first id only
     * a payload field could give. {@code null} when the tenant itself comes from the payload.
     *
     * @throws Rejection if a topic level is not a valid id
     */
    public String nodeFromTopic(final TopicRule rule, final String topic) throws Rejection {
        final List<String> wildcards = rule.match(topic);
        if (wildcards == null) {
            throw new IllegalArgumentException("rule '" + rule.filter() + "' does not match '" + topic + "'");
        }
        final ForeignPayload none = ForeignPayload.empty();
        final String tenant;
        try {
            tenant = resolve(rule.tenant(), "tenant", none, topic, wildcards);
        } catch (final Unmapped fromPayload) {
            return null;
        }
        TopicBuilder node;
        try {
            node = TopicBuilder.tenant(tenant);
            for (int i = 0; i < rule.levelNames().size(); i++) {
                final String id;
                try {
                    id = resolve(rule.ids().get(i), "id", none, topic, wildcards);
                } catch (final Unmapped fromPayload) {
                    break;
                }
                node = node.child(rule.levelNames().get(i), id);
            }
        } catch (final IllegalArgumentException e) {
            throw new Unmapped(MappingFault.BAD_ID, "mapped topic: " + e.getMessage()).rejection();
        }
        return node.node();
    }

    /** A payload field that cannot be the last level of a series is skipped, not the whole publish. */
    private static boolean validMetricName(final String name) {
        try {
            TopicResolver.checkMetricName(name);
            return true;
        } catch (final Rejection invalid) {
            return false;
        }
    }

    private static String resolve(final IdTemplate template, final String what, final ForeignPayload fields,
                                  final String topic, final List<String> wildcards) throws Unmapped {
        if (template.literal() != null) {
            return template.literal();
        }
        for (final IdSource source : template.alternatives()) {
            if (source.wildcard() > 0) {
                return wildcards.get(source.wildcard() - 1);
            }
            final String id = source.field() != null ? fieldId(fields.field(source.field()))
                    : topicLevel(topic, source.topicLevel());
            if (id != null) {
                return id;
            }
        }
        throw new Unmapped(MappingFault.NO_ID, "payload has no value for the " + what + " " + template);
    }

    private static String fieldId(final ForeignPayload.Field field) {
        return field == null ? null : field.id();
    }

    /** Level {@code level} (from 1) of {@code topic}, or {@code null} if the topic is shorter or the level empty. */
    private static String topicLevel(final String topic, final int level) {
        final int start = TopicLevel.start(topic, level - 1);
        if (start < 0) {
            return null;
        }
        final int end = TopicLevel.end(topic, start);
        return end > start ? topic.substring(start, end) : null;
    }
}
