package io.cellwatch.mapping;

import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicFilter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicMapperTest {

    /** The exact payload devices publish today. */
    static final String CNC = "{\"machine_id\":\"cnc\",\"temperature\":29.4,\"humidity\":61.0,\"vibration\":0.0314,"
            + "\"timestamp\":\"2026-05-05T10:30:00Z\"}";
    private static final Instant NOW = Instant.parse("2026-05-05T10:31:00Z");

    private final TopicMapper mapper = mapper(MappingRulesParserTest.FACTORY);
    /** Without a {@code metrics} line: every field that can be a metric is one. */
    private final TopicMapper everyField = mapper("""
            map shop/+/data
              tenant acme
              node machines/{+1}
            """);

    private static TopicMapper mapper(final String rules) {
        try {
            final MappingRules parsed = MappingRules.parse(Path.of("mapping.rules"), rules);
            return new TopicMapper(() -> parsed, Clock.fixed(NOW, ZoneOffset.UTC), 65536);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private MappedSample map(final TopicMapper mapper, final String topic, final String payload) throws Rejection {
        final TopicRule rule = mapper.ruleFor(topic);
        assertThat(rule).as("rule for " + topic).isNotNull();
        return mapper.map(rule, topic, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theFactoryPayloadBecomesANodeOfTheTenantWithItsDeviceTime() throws Exception {
        final MappedSample sample = map(mapper, "factory/machine/cnc/telemetry", CNC);

        assertThat(sample.tenant()).isEqualTo("acme");
        assertThat(sample.nodeTopic()).isEqualTo("tenants/acme/plants/linz/machines/cnc");
        assertThat(sample.names()).containsExactly("temperature", "humidity", "vibration");
        assertThat(sample.values()).containsExactly(29.4, 61.0, 0.0314);
        assertThat(sample.ts()).isEqualTo(Instant.parse("2026-05-05T10:30:00Z").toEpochMilli());
        assertThat(sample.deviceTime()).isTrue();
    }

    @Test
    void withoutMachineIdTheTopicLevelNamesTheMachine() throws Exception {
        final MappedSample sample = map(mapper, "factory/machine/lathe-2/telemetry",
                "{\"temperature\":31.0,\"timestamp\":\"2026-05-05T10:30:00Z\"}");

        assertThat(sample.nodeTopic()).isEqualTo("tenants/acme/plants/linz/machines/lathe-2");
        assertThat(sample.names()).containsExactly("temperature");
    }

    @Test
    void aPayloadIdWinsOverTheTopicLevel() throws Exception {
        assertThat(map(mapper, "factory/machine/gw-1/telemetry", CNC).nodeTopic())
                .isEqualTo("tenants/acme/plants/linz/machines/cnc");
    }

    @Test
    void anEsp32UptimeDateIsReplacedByServerTime() throws Exception {
        final MappedSample sample = map(mapper, "factory/machine/cnc/telemetry",
                "{\"temperature\":29.4,\"timestamp\":\"1970-01-01T00:02:13Z\"}");

        assertThat(sample.ts()).isEqualTo(NOW.toEpochMilli());
        assertThat(sample.deviceTime()).isFalse();
    }

    @Test
    void timesBefore2025OrMoreThanFiveMinutesAheadAreReplaced() throws Exception {
        assertThat(tsOf("\"2024-12-31T23:59:59Z\"")).isEqualTo(NOW.toEpochMilli());
        assertThat(tsOf("\"2026-05-05T10:36:01Z\"")).isEqualTo(NOW.toEpochMilli());
        assertThat(tsOf("\"2026-05-05T10:35:59Z\"")).isEqualTo(Instant.parse("2026-05-05T10:35:59Z").toEpochMilli());
        assertThat(tsOf("133")).isEqualTo(NOW.toEpochMilli());
        assertThat(tsOf("\"soon\"")).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void epochSecondsAndMillisecondsAreBothRead() throws Exception {
        final long at = Instant.parse("2026-05-05T10:30:00Z").toEpochMilli();
        assertThat(tsOf(Long.toString(at / 1000))).isEqualTo(at);
        assertThat(tsOf(Long.toString(at))).isEqualTo(at);
        assertThat(tsOf("\"" + at + "\"")).isEqualTo(at);
        assertThat(tsOf("\"2026-05-05T12:30:00+02:00\"")).isEqualTo(at);
    }

    private long tsOf(final String json) throws Rejection {
        return map(mapper, "factory/machine/cnc/telemetry", "{\"temperature\":1,\"timestamp\":" + json + "}").ts();
    }

    @Test
    void withoutAMetricsLineEveryNumericFieldButIdsAndTimeIsAMetric() throws Exception {
        final TopicMapper all = mapper("""
                map shop/+/data
                  tenant {site}
                  node machines/{+1}
                  ts t
                """);
        final MappedSample sample = map(all, "shop/m7/data",
                "{\"site\":\"nordvolt\",\"t\":1778000000,\"rpm\":1200,\"label\":\"x\",\"nested\":{\"a\":1}}");

        assertThat(sample.tenant()).isEqualTo("nordvolt");
        assertThat(sample.nodeTopic()).isEqualTo("tenants/nordvolt/machines/m7");
        assertThat(sample.names()).containsExactly("rpm");
    }

    @Test
    void aPayloadWithoutAnyMappedMetricIsRefused() {
        assertThatThrownBy(() -> map(mapper, "factory/machine/cnc/telemetry", "{\"machine_id\":\"cnc\"}"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.NO_METRICS));
    }

    @Test
    void anIdThatIsNoValidTopicLevelIsRefused() {
        assertThatThrownBy(() -> map(mapper, "factory/machine/cnc/telemetry",
                "{\"machine_id\":\"cnc/../x\",\"temperature\":1}"))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.reason()).isEqualTo(RejectReason.BAD_TOPIC);
                    assertThat(r.getMessage()).contains("cnc/../x");
                });
    }

    @Test
    void aPayloadThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> map(mapper, "factory/machine/cnc/telemetry", "29.4"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.BAD_JSON));
    }

    @Test
    void unmappedTopicsHaveNoRule() {
        assertThat(mapper.ruleFor("factory/machine/cnc/status")).isNull();
        assertThat(mapper.ruleFor("other/topic")).isNull();
    }

    @Test
    void aPublishWithoutPayloadReachesTheNodeItsTopicNames() throws Rejection {
        assertThat(mapper.nodeFromTopic(mapper.ruleFor("factory/machine/cnc/telemetry"),
                "factory/machine/cnc/telemetry")).isEqualTo("tenants/acme/plants/linz/machines/cnc");
    }

    @Test
    void aPublishWithoutPayloadStopsAboveAnIdOnlyThePayloadGives() throws Rejection {
        final TopicMapper payloadIds = mapper("""
                map site/+/data
                    tenant {+1}
                    node   plants/p1/lines/{line}
                map shared/+/data
                    tenant {tenant}
                    node   lines/{+1}
                """);

        assertThat(payloadIds.nodeFromTopic(payloadIds.ruleFor("site/acme/data"), "site/acme/data"))
                .isEqualTo("tenants/acme/plants/p1");
        assertThat(payloadIds.nodeFromTopic(payloadIds.ruleFor("shared/l1/data"), "shared/l1/data"))
                .as("the tenant itself comes from the payload").isNull();
    }

    /** A gateway-style rule: tenant acme, node plants/p1/sensors/{ID}, every metric, time in {@code ts}. */
    private static TopicMapper fixed(final String filter, final DeviceTimePolicy policy, final IdSource... id) {
        final TopicRule rule = new TopicRule(1, TopicFilter.mqtt(filter), IdTemplate.literal("acme"),
                List.of("plants", "sensors"), List.of(IdTemplate.literal("p1"), new IdTemplate(null, List.of(id))),
                List.of(), "ts");
        return TopicMapper.of(List.of(rule), Clock.fixed(NOW, ZoneOffset.UTC), 65536, policy);
    }

    private static MappedSample sample(final TopicMapper mapper, final String topic, final String payload)
            throws Unmapped {
        return mapper.sample(mapper.ruleFor(topic), topic, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAbsoluteTopicLevelGivesTheIdWhateverTheFilterWildcards() throws Exception {
        final TopicMapper mapper = fixed("plant/meters/#", ForeignTimestamp::plausible, IdSource.topicLevel(3));

        assertThat(sample(mapper, "plant/meters/m7/raw", "{\"power\":1}").nodeTopic())
                .isEqualTo("tenants/acme/plants/p1/sensors/m7");
    }

    @Test
    void aTopicLevelTheTopicLacksOrLeavesEmptyFallsToTheNextAlternative() throws Exception {
        final TopicMapper mapper = fixed("plant/meters/#", ForeignTimestamp::plausible, IdSource.topicLevel(4),
                IdSource.field("meter"), IdSource.topicLevel(3));

        assertThat(sample(mapper, "plant/meters/m7", "{\"power\":1,\"meter\":\"m8\"}").nodeTopic())
                .endsWith("/sensors/m8");
        assertThat(sample(mapper, "plant/meters/m7/", "{\"power\":1}").nodeTopic()).endsWith("/sensors/m7");
    }

    @Test
    void noAlternativeGivingAnIdIsTheNoIdFaultWhichTheServerStillRefusesAsBadJson() {
        final TopicMapper mapper = fixed("plant/meters/#", ForeignTimestamp::plausible, IdSource.topicLevel(3));

        assertThatThrownBy(() -> sample(mapper, "plant/meters", "{\"power\":1}"))
                .isInstanceOfSatisfying(Unmapped.class, u -> {
                    assertThat(u.fault()).isEqualTo(MappingFault.NO_ID);
                    assertThat(u.rejection().reason()).isEqualTo(RejectReason.BAD_JSON);
                });
    }

    @Test
    void theDeviceTimePolicyPassedInDecidesWhichDeviceTimesAreKept() throws Exception {
        final long halfAnHourAhead = NOW.plusSeconds(1800).toEpochMilli();
        final String payload = "{\"power\":1,\"ts\":" + halfAnHourAhead + "}";
        final TopicMapper server = fixed("s/+", ForeignTimestamp::plausible, IdSource.wildcard(1));
        final TopicMapper withinAnHour = fixed("s/+", (ts, now) -> ts <= now + 3_600_000, IdSource.wildcard(1));

        assertThat(sample(server, "s/a", payload).ts()).isEqualTo(NOW.toEpochMilli());
        assertThat(sample(server, "s/a", payload).deviceTime()).isFalse();
        assertThat(sample(withinAnHour, "s/a", payload).ts()).isEqualTo(halfAnHourAhead);
        assertThat(sample(withinAnHour, "s/a", payload).deviceTime()).isTrue();
    }

    @Test
    void booleansAreMetricsOfOneOrZero() throws Exception {
        final MappedSample sample = map(everyField, "shop/m7/data", "{\"running\":true,\"alarm\":false,\"rpm\":1200}");

        assertThat(sample.names()).containsExactly("running", "alarm", "rpm");
        assertThat(sample.values()).containsExactly(1.0, 0.0, 1200.0);
    }

    @Test
    void aNumberTooLargeForADoubleIsSkippedAndTheOtherMetricsKept() throws Exception {
        final MappedSample sample = map(mapper, "factory/machine/cnc/telemetry",
                "{\"temperature\":1e999,\"humidity\":61.0}");

        assertThat(sample.names()).containsExactly("humidity");
        assertThat(sample.values()).containsExactly(61.0);
    }

    @Test
    void aFieldThatCannotNameAMetricIsSkippedAndTheOtherMetricsKept() throws Exception {
        final MappedSample sample = map(everyField, "shop/m7/data", "{\"fw version\":3,\"status\":1,\"rpm\":1200}");

        assertThat(sample.names()).containsExactly("rpm");
    }

    @Test
    void aWholeNumberIdIsItsDigitsHoweverTheDeviceWritesIt() throws Exception {
        for (final String id : List.of("12", "12.0", "1.2e1")) {
            assertThat(map(mapper, "factory/machine/x/telemetry", "{\"machine_id\":" + id + ",\"temperature\":1}")
                    .nodeTopic()).as(id).isEqualTo("tenants/acme/plants/linz/machines/12");
        }
        assertThat(map(mapper, "factory/machine/x/telemetry", "{\"machine_id\":12.5,\"temperature\":1}")
                .nodeTopic()).isEqualTo("tenants/acme/plants/linz/machines/12.5");
    }

    @Test
    void anIdStringIsStrippedAndABlankOneIsAbsent() throws Exception {
        assertThat(map(mapper, "factory/machine/x/telemetry", "{\"machine_id\":\" cnc \",\"temperature\":1}")
                .nodeTopic()).isEqualTo("tenants/acme/plants/linz/machines/cnc");
        assertThat(map(mapper, "factory/machine/x/telemetry", "{\"machine_id\":\"  \",\"temperature\":1}")
                .nodeTopic()).isEqualTo("tenants/acme/plants/linz/machines/x");
    }
}
