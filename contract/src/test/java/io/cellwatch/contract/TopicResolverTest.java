package io.cellwatch.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static io.cellwatch.contract.Rejections.rejected;

class TopicResolverTest {

    private final TopicResolver resolver = new TopicResolver(32);

    private static Rejection rejectionOf(final TopicResolver resolver, final String topic) {
        return rejected(() -> resolver.resolve(topic));
    }

    private Rejection rejectionOf(final String topic) {
        return rejectionOf(resolver, topic);
    }

    // --- kind by parity -------------------------------------------------------------------------------------------

    @Test
    void evenNumberOfLevelsAfterTenantIsNode() throws Rejection {
        final TopicPath path = resolver.resolve("tenants/t1/plants/p1");

        assertThat(path.kind()).isEqualTo(TopicKind.NODE);
        assertThat(path.levels()).containsExactly("tenants", "t1", "plants", "p1");
        assertThat(path.tenant()).isEqualTo("t1");
        assertThat(path.topic()).isEqualTo("tenants/t1/plants/p1");
    }

    @Test
    void oddNumberOfLevelsAfterTenantIsMetric() throws Rejection {
        final TopicPath path = resolver.resolve("tenants/t1/plants/p1/racks/r1/packs/k1/cells/7/voltage");

        assertThat(path.kind()).isEqualTo(TopicKind.METRIC);
        assertThat(path.levels()).hasSize(11).endsWith("cells", "7", "voltage");
    }

    @Test
    void tenantAloneIsNode() throws Rejection {
        assertThat(resolver.resolve("tenants/t1").kind()).isEqualTo(TopicKind.NODE);
    }

    @Test
    void metricDirectlyUnderTenantIsMetric() throws Rejection {
        assertThat(resolver.resolve("tenants/t1/uptime").kind()).isEqualTo(TopicKind.METRIC);
    }

    @Test
    void levelsMayUseEveryAllowedPunctuationCharacter() throws Rejection {
        assertThat(resolver.resolve("tenants/acme-1/plants/p_1.a:b@c~d").kind()).isEqualTo(TopicKind.NODE);
    }

    // --- not telemetry ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"foo/bar", "sys/broker/uptime", "tenants", "tenantsx/t1/v", "Tenants/t1/plants/p1"})
    void topicOutsideTenantsIsNotTelemetry(final String topic) throws Rejection {
        assertThat(resolver.resolve(topic).kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "meta", "alerts", "commands"})
    void reservedNameAsLeafIsNotTelemetry(final String reserved) throws Rejection {
        assertThat(resolver.resolve("tenants/t1/gateways/g1/" + reserved).kind())
                .isEqualTo(TopicKind.NOT_TELEMETRY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "meta", "alerts", "commands"})
    void reservedNameAsLevelIsNotTelemetry(final String reserved) throws Rejection {
        assertThat(resolver.resolve("tenants/t1/" + reserved + "/x1/voltage").kind())
                .isEqualTo(TopicKind.NOT_TELEMETRY);
    }

    @Test
    void reservedNameAsIdIsTelemetry() throws Rejection {
        assertThat(resolver.resolve("tenants/t1/plants/status").kind()).isEqualTo(TopicKind.NODE);
    }

    @Test
    void plantMetaTopicIsNotTelemetry() throws Rejection {
        assertThat(resolver.resolve("tenants/t1/plants/p1/meta").kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
    }

    // --- empty levels -------------------------------------------------------------------------------------------

    @Test
    void rejectsTrailingSlash() {
        final Rejection rejection = rejectionOf("tenants/t1/plants/p1/");

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
        assertThat(rejection.getMessage()).contains("level 5").contains("empty");
    }

    @Test
    void rejectsEmptyLevelInTheMiddle() {
        final Rejection rejection = rejectionOf("tenants/t1//p1/voltage");

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
        assertThat(rejection.getMessage()).contains("level 3");
    }

    @Test
    void rejectsEmptyTenant() {
        assertThat(rejectionOf("tenants//plants/p1").reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    @Test
    void rejectsTenantsRootWithTrailingSlashOnly() {
        assertThat(rejectionOf("tenants/").reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    /**
     * {@link RejectReason#EMPTY_LEVEL} documents "leading slash", but {@code resolve} checks
     * {@code startsWith("tenants/")} first, so {@code /tenants/...} passes through as NOT_TELEMETRY: a gateway that
     * prefixes its topics with '/' loses every sample with no reject counter. Reported; enable once decided.
     */
    @Test
    void rejectsLeadingSlash() {
        final Rejection rejection = rejectionOf("/tenants/t1/plants/p1/voltage");

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    // --- bad characters and limits ------------------------------------------------------------------------------

    @Test
    void rejectsSpaceInLevel() {
        final Rejection rejection = rejectionOf("tenants/t1/plants/p 1/voltage");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("level 4").contains("'p 1'").contains("index 1");
    }

    @Test
    void rejectsCyrillicLookalikeInTenant() {
        // "аcme" starts with U+0430 CYRILLIC SMALL LETTER A, not ASCII 'a'.
        final Rejection rejection = rejectionOf("tenants/\u0430cme/plants/p1");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("\\u0430").contains("level 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "p+", "p#1", "é", "p\u0000", "p\t", "p,1", "p*", "p\"1"})
    void rejectsCharacterOutsideAllowedSet(final String level) {
        final String topic = "tenants/t1/plants/" + level;
        final Rejection rejection = rejectionOf(topic);

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
    }

    @Test
    void acceptsLevelOfExactlySixtyFourCharacters() throws Rejection {
        assertThat(resolver.resolve("tenants/t1/plants/" + "p".repeat(64)).kind()).isEqualTo(TopicKind.NODE);
    }

    @Test
    void rejectsLevelLongerThanSixtyFourCharacters() {
        final Rejection rejection = rejectionOf("tenants/t1/plants/" + "p".repeat(65));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("65").contains("64");
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfLevels() throws Rejection {
        final TopicResolver small = new TopicResolver(4);

        assertThat(small.resolve("tenants/t1/a/1/b/2").kind()).isEqualTo(TopicKind.NODE);
    }

    @Test
    void rejectsTooManyLevels() {
        final Rejection rejection = rejectionOf(new TopicResolver(4), "tenants/t1/a/1/b/2/v");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("5 levels").contains("at most 4");
    }

    @Test
    void depthIsCheckedBeforeReservedNames() {
        assertThat(rejectionOf(new TopicResolver(2), "tenants/t1/a/1/status").reason())
                .isEqualTo(RejectReason.BAD_TOPIC);
    }

    @Test
    void topicProblemsAreFlaggedAsTopicProblems() {
        assertThat(rejectionOf("tenants/t1//x").reason().topicProblem()).isTrue();
        assertThat(rejectionOf("tenants/t 1").reason().topicProblem()).isTrue();
    }

    // --- metric names -------------------------------------------------------------------------------------------

    @Test
    void checkMetricNameAcceptsPlainName() {
        assertThat(catchThrowable(() -> TopicResolver.checkMetricName("voltage"))).isNull();
    }

    @Test
    void checkMetricNameRejectsReservedName() {
        final Rejection rejection = rejected(() -> TopicResolver.checkMetricName("status"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("reserved");
    }

    @Test
    void checkMetricNameRejectsSpace() {
        final Rejection rejection = rejected(
                () -> TopicResolver.checkMetricName("cell voltage"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("metric name");
    }

    // --- subtrees -----------------------------------------------------------------------------------------------

    @Test
    void parseSubtreeAcceptsEmptyPathAsEverything() throws Rejection {
        assertThat(TopicResolver.parseSubtree("")).isEmpty();
    }

    @Test
    void parseSubtreeAcceptsTenantPath() throws Rejection {
        assertThat(TopicResolver.parseSubtree("tenants/t1")).containsExactly("tenants", "t1");
    }

    @Test
    void parseSubtreeAcceptsSeriesKey() throws Rejection {
        assertThat(TopicResolver.parseSubtree("tenants/t1/plants/p1/voltage"))
                .containsExactly("tenants", "t1", "plants", "p1", "voltage");
    }

    @Test
    void parseSubtreeRejectsPathOutsideTenants() {
        final Rejection rejection = rejected(() -> TopicResolver.parseSubtree("foo/bar"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("tenants/");
    }

    @Test
    void parseSubtreeRejectsEmptyLevel() {
        final Rejection rejection = rejected(
                () -> TopicResolver.parseSubtree("tenants//x"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    @Test
    void parseSubtreeRejectsLeadingSlash() {
        final Rejection rejection = rejected(
                () -> TopicResolver.parseSubtree("/tenants/t1"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
    }

    @Test
    void parseSubtreeRejectsBadCharacter() {
        final Rejection rejection = rejected(
                () -> TopicResolver.parseSubtree("tenants/t1/plants/p#"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
    }

    // --- the internal tenant of the synthetic probe ------------------------------------------------------------

    @Test
    void theProbeTopicIsAMetricOfTheInternalTenantThatOnlyTheBrokerWrites() throws Rejection {
        final TopicPath path = resolver.resolve(TopicBuilder.probe());

        assertThat(path.kind()).isEqualTo(TopicKind.METRIC);
        assertThat(path.tenant()).isEqualTo(TopicResolver.INTERNAL_TENANT);
        assertThat(TopicResolver.isInternal(path.levels())).isTrue();
        assertThat(TopicResolver.isBrokerOwned(TopicBuilder.probe())).isTrue();
        assertThat(TopicResolver.isBrokerOwned("tenants/~cellwatch/plants/p1/voltage")).isTrue();
    }

    @Test
    void onlyTheInternalTenantItselfIsInternalNotItsLookalikes() {
        assertThat(TopicResolver.isInternal("tenants/~cellwatch")).isTrue();
        assertThat(TopicResolver.isInternal("tenants/~cellwatch/#")).isTrue();
        assertThat(TopicResolver.isInternal("tenants/~cellwatch2/plants/p1")).isFalse();
        assertThat(TopicResolver.isInternal("tenants/cellwatch/plants/p1")).isFalse();
        assertThat(TopicResolver.isInternal("tenants/+/probes/e2e/sample")).isFalse();
        assertThat(TopicResolver.isInternal("")).isFalse();
        assertThat(TopicResolver.isBrokerOwned("tenants/~cellwatch2/plants/p1/voltage")).isFalse();
    }

    @Test
    void aNodesMetaUnderATenantIsMeta() {
        assertThat(TopicResolver.isMeta("tenants/acme/plants/p1/meta")).isTrue();
        assertThat(TopicResolver.isMeta("tenants/acme/plants/p1/racks/r1/meta")).isTrue();
    }

    @Test
    void metaOutsideATenantsTreeOrAsTheTenantIsNot() {
        assertThat(TopicResolver.isMeta("tenants/acme/meta")).isTrue();
        assertThat(TopicResolver.isMeta("tenants/meta")).isFalse();
        assertThat(TopicResolver.isMeta("factory/p1/meta")).isFalse();
        assertThat(TopicResolver.isMeta("tenants/acme/plants/p1/metadata")).isFalse();
    }
}
