package io.cellwatch.edge.mapping;

import io.cellwatch.contract.TopicFilter;
import io.cellwatch.edge.source.DeviceTime;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.mapping.IdTemplate;
import io.cellwatch.mapping.MappedSample;
import io.cellwatch.mapping.TopicMapper;
import io.cellwatch.mapping.TopicRule;
import io.cellwatch.mapping.Unmapped;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's local-MQTT rules (docs/gateway.md, "Local MQTT") on the server's mapping engine: each
 * {@link MappingRule} becomes a {@link TopicRule} into {@code tenants/TENANT/plants/PLANT/…}, the engine maps, and its
 * result becomes a node reading or a counted drop. Device times are kept by the gateway's {@link DeviceTime} window.
 * Stateless; thread-safe.
 */
public final class RuleMapping implements TopicMapping {

    /** The local broker bounds what it delivers; the gateway adds no payload limit of its own. */
    private static final int NO_PAYLOAD_LIMIT = Integer.MAX_VALUE;

    private final List<MappingRule> rules;
    private final TopicMapper mapper;

    /**
     * @param rules  the source's rules, in config order
     * @param tenant the gateway's tenant
     * @param plant  the gateway's plant: every rule's node lies under it
     * @param clock  gateway time, for a missing or implausible device time
     */
    public RuleMapping(final List<MappingRule> rules, final String tenant, final String plant, final Clock clock) {
        this.rules = List.copyOf(rules);
        this.mapper = TopicMapper.of(this.rules.stream().map(rule -> compile(rule, tenant, plant)).toList(), clock,
                NO_PAYLOAD_LIMIT, DeviceTime::plausible);
    }

    /** {@code rule} as the engine's rule: the tenant, {@code plants/PLANT}, then the rule's (level, id) pairs. */
    static TopicRule compile(final MappingRule rule, final String tenant, final String plant) {
        final List<String> levelNames = new ArrayList<>(List.of("plants"));
        final List<IdTemplate> ids = new ArrayList<>(List.of(IdTemplate.literal(plant)));
        final String[] levels = rule.path().isEmpty() ? new String[0] : rule.path().split("/", -1);
        for (int i = 0; i + 1 < levels.length; i += 2) {
            levelNames.add(levels[i]);
            ids.add(levels[i + 1].equals(MappingRule.ID) ? new IdTemplate(null, rule.ids())
                    : IdTemplate.literal(levels[i + 1]));
        }
        return new TopicRule(rule.line(), TopicFilter.mqtt(rule.filter()), IdTemplate.literal(tenant), levelNames, ids,
                rule.metrics(), rule.tsField());
    }

    @Override
    public List<String> filters() {
        return rules.stream().map(MappingRule::filter).distinct().toList();
    }

    @Override
    public MappingResult map(final String topic, final byte[] payload) {
        final TopicRule rule = mapper.ruleFor(topic);
        if (rule == null) {
            return MappingResult.drop(MappingResult.Drop.NO_RULE);
        }
        final MappedSample sample;
        try {
            sample = mapper.sample(rule, topic, ByteBuffer.wrap(payload));
        } catch (final Unmapped unmapped) {
            return MappingResult.drop(switch (unmapped.fault()) {
                case EMPTY_PAYLOAD, OVERSIZE, NOT_JSON -> MappingResult.Drop.NOT_JSON;
                case NO_ID -> MappingResult.Drop.NO_ID;
                case BAD_ID -> MappingResult.Drop.BAD_ID;
                case NO_METRIC -> MappingResult.Drop.NO_METRIC;
            });
        }
        return new MappingResult(new NodeReading(sample.nodeTopic(), sample.names(), sample.values(), sample.ts()),
                null, !sample.deviceTime());
    }
}
