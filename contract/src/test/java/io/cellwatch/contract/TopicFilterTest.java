package io.cellwatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    private static TopicFilter filter(String text) {
        return TopicFilter.of(text.split("/", -1));
    }

    private static String[] levels(String text) {
        return text.split("/", -1);
    }

    @Test
    void matchesTopicsLikeMqtt() {
        assertThat(filter("a/+/c").matches("a/b/c", null)).isTrue();
        assertThat(filter("a/+/c").matches("a/b/c/d", null)).isFalse();
        assertThat(filter("a/+/c").matches("a/b", null)).isFalse();
        assertThat(filter("a/#").matches("a", null)).isTrue();
        assertThat(filter("a/#").matches("a/b/c", null)).isTrue();
        assertThat(filter("a/#").matches("ab", null)).isFalse();
        assertThat(filter("a/b").matches("a/bc", null)).isFalse();
        assertThat(filter("a/b").matches("a/b/", null)).isFalse();
        assertThat(filter("#").matches("x/y", null)).isTrue();
    }

    @Test
    void substitutesClientIdPerRequest() {
        TopicFilter f = filter("t/%c/cmd");

        assertThat(f.usesClientId()).isTrue();
        assertThat(f.matches("t/gw1/cmd", "gw1")).isTrue();
        assertThat(f.matches("t/gw2/cmd", "gw1")).isFalse();
        assertThat(f.matches("t/anything/cmd", null)).as("null client id widens to '+'").isTrue();
    }

    @Test
    void coversOnlyFiltersWhoseEveryTopicItMatches() {
        assertThat(filter("a/#").covers(levels("a/b/+"), null)).isTrue();
        assertThat(filter("a/#").covers(levels("a"), null)).isTrue();
        assertThat(filter("a/#").covers(levels("a/#"), null)).isTrue();
        assertThat(filter("a/+").covers(levels("a/b"), null)).isTrue();
        assertThat(filter("a/+").covers(levels("a/+"), null)).isTrue();
        assertThat(filter("a/+").covers(levels("a/#"), null)).isFalse();
        assertThat(filter("a/b").covers(levels("a/+"), null)).isFalse();
        assertThat(filter("a/b/#").covers(levels("a/+/c"), null)).isFalse();
        assertThat(filter("a/b").covers(levels("a/b/c"), null)).isFalse();
        assertThat(filter("a/b/c").covers(levels("a/b"), null)).isFalse();
    }

    @Test
    void intersectsWhenSomeTopicMatchesBoth() {
        assertThat(filter("a/b/#").intersects(levels("a/#"), null)).isTrue();
        assertThat(filter("a/b/#").intersects(levels("a/+/c"), null)).isTrue();
        assertThat(filter("a/b/#").intersects(levels("a/c/#"), null)).isFalse();
        assertThat(filter("a/b/#").intersects(levels("a/b"), null)).isTrue();
        assertThat(filter("a/b").intersects(levels("a/b/#"), null)).isTrue();
        assertThat(filter("a/b").intersects(levels("a/b/c"), null)).isFalse();
        assertThat(filter("a/+/c").intersects(levels("a/b/d"), null)).isFalse();
    }

    @Test
    void tellsSafeLevelValues() {
        assertThat(TopicFilter.isSafeLevel("gw-1")).isTrue();
        assertThat(TopicFilter.isSafeLevel("")).isFalse();
        assertThat(TopicFilter.isSafeLevel("a/b")).isFalse();
        assertThat(TopicFilter.isSafeLevel("a+")).isFalse();
        assertThat(TopicFilter.isSafeLevel("#")).isFalse();
        assertThat(TopicFilter.isSafeLevel(null)).isFalse();
    }

    @Test
    void capturesThePlusLevelsOfAMatchingTopic() {
        final TopicFilter filter = TopicFilter.mqtt("site/+/+/data");

        assertThat(filter.captures("site/berlin/m7/data")).containsExactly("berlin", "m7");
        assertThat(filter.captures("site/berlin/m7")).isNull();
        assertThat(filter.captures("site/berlin/m7/data/x")).isNull();
        assertThat(TopicFilter.mqtt("a/+/#").captures("a/b")).containsExactly("b");
    }

    @Test
    void aPlainMqttFilterTakesPercentCLiterally() {
        assertThat(TopicFilter.mqtt("a/%c").matches("a/%c", "x")).isTrue();
        assertThat(TopicFilter.mqtt("a/%c").matches("a/x", "x")).isFalse();
        assertThat(TopicFilter.of("a", "%c").matches("a/x", "x")).isTrue();
    }

    @Test
    void matchesTheLevelsFromAnOffset() {
        final String[] key = "tenants/acme/plants/p1/cells/7/voltage".split("/");

        assertThat(TopicFilter.mqtt("plants/+/cells/+/voltage").matchesLevels(key, 2)).isTrue();
        assertThat(TopicFilter.mqtt("plants/p2/#").matchesLevels(key, 2)).isFalse();
        assertThat(TopicFilter.mqtt("plants/#").matchesLevels(key, 2)).isTrue();
        assertThat(TopicFilter.mqtt("plants/+/cells/+").matchesLevels(key, 2)).isFalse();
    }
}
