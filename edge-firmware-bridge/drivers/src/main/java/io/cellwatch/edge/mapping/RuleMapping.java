package io.cellwatch.edge.mapping;

import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.DeviceTime;
import io.cellwatch.edge.source.NodeCollector;
import io.cellwatch.edge.source.NodePath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own subset of a topic-mapping language (see docs/gateway.md, "Local MQTT"): the first rule whose
 * filter matches a topic maps the message. Stateless apart from its counters; thread-safe.
 */
public final class RuleMapping implements TopicMapping {

    private final List<MappingRule> rules;
    private final TopicBuilder plant;
    private final DeviceTime deviceTime;

    public RuleMapping(final List<MappingRule> rules, final TopicBuilder plant, final DeviceTime deviceTime) {
        this.rules = List.copyOf(rules);
        this.plant = plant;
        this.deviceTime = deviceTime;
    }

    @Override
    public List<String> filters() {
        return rules.stream().map(MappingRule::filter).distinct().toList();
    }

    @Override
    public MappingResult map(final String topic, final byte[] payload, final long now) {
        final MappingRule rule = rules.stream().filter(r -> r.matches(topic)).findFirst().orElse(null);
        if (rule == null) {
            return MappingResult.drop(MappingResult.Drop.NO_RULE);
        }
        final Map<String, Object> fields = FlatJson.fields(payload);
        if (fields == null) {
            return MappingResult.drop(MappingResult.Drop.NOT_JSON);
        }
        String id = null;
        final String[] levels = topic.split("/", -1);
        for (final IdSource source : rule.ids()) {
            final Object value = source.field() != null ? fields.get(source.field())
                    : source.topicLevel() <= levels.length ? levels[source.topicLevel() - 1] : null;
            id = text(value);
            if (id != null && !id.isEmpty()) {
                break;
            }
        }
        final boolean needsId = rule.path().contains(MappingRule.ID);
        if (needsId && (id == null || id.isEmpty())) {
            return MappingResult.drop(MappingResult.Drop.NO_ID);
        }
        if (needsId && id.indexOf('/') >= 0) {
            // An id is one level: a sensor must not place itself elsewhere in the plant's tree.
            return MappingResult.drop(MappingResult.Drop.BAD_ID);
        }
        final String path = needsId ? rule.path().replace(MappingRule.ID, id) : rule.path();
        try {
            NodePath.check(path, null);
        } catch (final IllegalArgumentException e) {
            return MappingResult.drop(MappingResult.Drop.BAD_ID);
        }
        final NodeCollector node = new NodeCollector(plant);
        int metrics = 0;
        for (final Map.Entry<String, Object> field : fields.entrySet()) {
            final String name = field.getKey();
            if (!(field.getValue() instanceof Double value) || name.equals(rule.tsField())
                    || rule.ids().stream().anyMatch(s -> name.equals(s.field()))
                    || !rule.metrics().isEmpty() && !rule.metrics().contains(name) || !Double.isFinite(value)
                    || !validMetric(path, name)) {
                continue;
            }
            node.add(path, name, value);
            metrics++;
        }
        if (metrics == 0) {
            return MappingResult.drop(MappingResult.Drop.NO_METRIC);
        }
        final long deviceTs = rule.tsField() == null ? ParsedPayload.NO_TS : ts(fields.get(rule.tsField()));
        final long ts = deviceTime.decide(deviceTs, now);
        return new MappingResult(node.readings(ts).get(0), null, ts != deviceTs);
    }

    /** Epoch ms from a number (below 10^11 it is taken as seconds) or ISO-8601 / epoch-ms text; NO_TS otherwise. */
    static long ts(final Object value) {
        if (value instanceof Double number) {
            final double ms = Math.abs(number) < 1e11 ? number * 1000 : number;
            return Double.isFinite(ms) ? (long) ms : ParsedPayload.NO_TS;
        }
        return value instanceof String text ? PayloadParser.parseTs(text) : ParsedPayload.NO_TS;
    }

    private static String text(final Object value) {
        if (value instanceof Double number) {
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString(number.longValue())
                    : number.toString();
        }
        return value instanceof String s ? s.strip() : null;
    }

    private static boolean validMetric(final String path, final String name) {
        try {
            NodePath.check(path, name);
            return true;
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }


    /** The rules, in order. */
    public List<MappingRule> rules() {
        return new ArrayList<>(rules);
    }
}
