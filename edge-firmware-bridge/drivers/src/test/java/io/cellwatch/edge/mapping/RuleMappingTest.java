package io.cellwatch.edge.mapping;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleMappingTest {

    private static final long NOW = 1_780_000_000_000L; // 2026-05-28
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private final RuleMapping mapping = new RuleMapping(List.of(
            new MappingRule("env", 1, "sensors/+/data", "sensors/{id}",
                    List.of(MappingRule.idSource("payload.sensor_id"), MappingRule.idSource("topic.2")), List.of(),
                    "timestamp"),
            new MappingRule("meters", 5, "plant/meters/#", "meters/{id}", List.of(MappingRule.idSource("topic.3")),
                    List.of("power", "energy"), null)),
            "acme", "p1", CLOCK);

    private MappingResult map(final String topic, final String payload) {
        return mapping.map(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idComesFromThePayloadFieldAndFallsBackToTheTopicLevel() {
        final MappingResult withField = map("sensors/a/data", "{\"sensor_id\":\"TEMP-01\",\"temperature\":42.5}");
        final MappingResult withoutField = map("sensors/TEMP-02/data", "{\"temperature\":20}");
        final MappingResult numericId = map("sensors/x/data", "{\"sensor_id\":17,\"temperature\":1}");

        assertThat(withField.reading().node()).isEqualTo("tenants/acme/plants/p1/sensors/TEMP-01");
        assertThat(withField.reading().names()).containsExactly("temperature");
        assertThat(withoutField.reading().node()).isEqualTo("tenants/acme/plants/p1/sensors/TEMP-02");
        assertThat(numericId.reading().node()).isEqualTo("tenants/acme/plants/p1/sensors/17");
    }

    @Test
    void plausibleTimesAreKeptInMillisecondsSecondsOrIsoAndOthersBecomeGatewayTime() {
        assertThat(map("sensors/a/data", "{\"t\":1,\"timestamp\":" + (NOW - 5000) + "}").reading().ts())
                .isEqualTo(NOW - 5000);
        assertThat(map("sensors/a/data", "{\"t\":1,\"timestamp\":" + (NOW / 1000 - 5) + "}").reading().ts())
                .isEqualTo(NOW - 5000);
        assertThat(map("sensors/a/data", "{\"t\":1,\"timestamp\":\"2026-05-28T20:26:35Z\"}").reading().ts())
                .isEqualTo(java.time.Instant.parse("2026-05-28T20:26:35Z").toEpochMilli());
        final MappingResult epoch = map("sensors/a/data", "{\"t\":1,\"timestamp\":1000}");
        final MappingResult before2025 = map("sensors/a/data", "{\"t\":1,\"timestamp\":1686000000000}");
        final MappingResult farAhead = map("sensors/a/data", "{\"t\":1,\"timestamp\":" + (NOW + 7_200_000) + "}");

        for (final MappingResult replaced : List.of(epoch, before2025, farAhead)) {
            assertThat(replaced.reading().ts()).isEqualTo(NOW);
            assertThat(replaced.tsReplaced()).isTrue();
        }
        assertThat(epoch.reading().names()).containsExactly("t");
    }

    @Test
    void onlyTheListedNumericFieldsAreMetricsAndBooleansCountAsOneOrZero() {
        final MappingResult meter = map("plant/meters/m7", "{\"power\":11.5,\"voltage\":400,\"energy\":true}");

        assertThat(meter.reading().node()).isEqualTo("tenants/acme/plants/p1/meters/m7");
        assertThat(meter.reading().names()).containsExactly("power", "energy");
        assertThat(meter.reading().values()).containsExactly(11.5, 1.0);
    }

    @Test
    void messagesThatCannotBeMappedSayWhy() {
        assertThat(map("sensors/a/data", "not json").dropped()).isEqualTo(MappingResult.Drop.NOT_JSON);
        assertThat(map("sensors/a/data", "[1,2]").dropped()).isEqualTo(MappingResult.Drop.NOT_JSON);
        assertThat(map("sensors/a/data", "{\"sensor_id\":\"T1\",\"status\":\"ok\"}").dropped())
                .isEqualTo(MappingResult.Drop.NO_METRIC);
        assertThat(map("sensors/a/data", "{\"sensor_id\":\"bad id\",\"t\":1}").dropped())
                .isEqualTo(MappingResult.Drop.BAD_ID);
        assertThat(map("plant/meters", "{\"power\":1}").dropped()).isEqualTo(MappingResult.Drop.NO_ID);
        assertThat(map("sensors/a/data", "{\"sensor_id\":\"x/y/z/../tenants/other\",\"t\":1}").dropped())
                .isEqualTo(MappingResult.Drop.BAD_ID);
        assertThat(map("sensors/a/data", "{\"sensor_id\":\"a/b\",\"t\":1}").dropped())
                .isEqualTo(MappingResult.Drop.BAD_ID);
        assertThat(map("sensors/a/data", "{\"sensor_id\":\"#\",\"t\":1}").dropped())
                .isEqualTo(MappingResult.Drop.BAD_ID);
        assertThat(map("other/topic", "{\"power\":1}").dropped()).isEqualTo(MappingResult.Drop.NO_RULE);
    }

    @Test
    void filtersMatchSingleAndMultiLevelWildcards() {
        final RuleMapping wildcards = new RuleMapping(List.of(
                new MappingRule("r", 1, "a/+/c/#", "x/y", List.of(), List.of(), null)), "acme", "p1", CLOCK);
        final byte[] payload = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(wildcards.map("a/b/c", payload).reading().node()).isEqualTo("tenants/acme/plants/p1/x/y");
        assertThat(wildcards.map("a/b/c/d/e", payload).reading()).isNotNull();
        assertThat(wildcards.map("a/b/x", payload).dropped()).isEqualTo(MappingResult.Drop.NO_RULE);
        assertThat(wildcards.map("a/b", payload).dropped()).isEqualTo(MappingResult.Drop.NO_RULE);
        assertThatThrownBy(() -> MappingRule.idSource("topic.0")).hasMessageContaining("not payload.FIELD or topic.N");
    }

    @Test
    void anEmptyTopicLevelGivesNoIdSoTheNextAlternativeIsTried() {
        final RuleMapping levels = new RuleMapping(List.of(new MappingRule("r", 1, "s/+/+", "sensors/{id}",
                List.of(MappingRule.idSource("topic.2"), MappingRule.idSource("topic.3")), List.of(), null)),
                "acme", "p1", CLOCK);

        assertThat(levels.map("s//b", "{\"v\":1}".getBytes(StandardCharsets.UTF_8)).reading().node())
                .isEqualTo("tenants/acme/plants/p1/sensors/b");
    }
}
