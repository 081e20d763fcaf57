package io.cellwatch.extension.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    private static final String SOURCE = "cellwatch.properties";

    @TempDir
    Path dir;

    private final ConfigErrors errors = new ConfigErrors();

    private ConfigFile parse(final String... lines) {
        return ConfigFile.parse(SOURCE, List.of(lines), errors);
    }

    private Path write(final String name, final String... lines) throws IOException {
        final Path file = dir.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    // --- parsing ------------------------------------------------------------------------------------------------

    @Test
    void parsesKeyValueLinesSkippingCommentsAndBlankLines() {
        final ConfigFile file = parse(
                "# cellwatch settings",
                "",
                "http.host = 127.0.0.1",
                "   ",
                "  # indented comment",
                "http.port=9090");

        assertThat(errors.isEmpty()).isTrue();
        assertThat(file.keys()).containsExactly("http.host", "http.port");
        assertThat(file.entry("http.host")).contains(new ConfigFile.Entry("http.host", "127.0.0.1", 3));
        assertThat(file.entry("http.port")).contains(new ConfigFile.Entry("http.port", "9090", 6));
    }

    @Test
    void stripsWhitespaceAroundKeyAndValue() {
        final ConfigFile file = parse("\t live.flush-millis \t=\t 100 \t");

        assertThat(file.entry("live.flush-millis").map(ConfigFile.Entry::value)).contains("100");
    }

    @Test
    void splitsAtTheFirstEqualsSign() {
        final ConfigFile file = parse("http.host = a=b");

        assertThat(file.entry("http.host").map(ConfigFile.Entry::value)).contains("a=b");
    }

    @Test
    void keepsEmptyValue() {
        final ConfigFile file = parse("http.host =");

        assertThat(errors.isEmpty()).isTrue();
        assertThat(file.entry("http.host").map(ConfigFile.Entry::value)).contains("");
    }

    @Test
    void absentKeyHasNoEntry() {
        assertThat(parse("http.port = 1").entry("http.host")).isEmpty();
    }

    @Test
    void keepsTheSourceName() {
        assertThat(parse().source()).isEqualTo(SOURCE);
    }

    @Test
    void readsFileWithLineNumbers(@TempDir final Path tmp) throws IOException {
        final Path path = tmp.resolve("cellwatch.properties");
        Files.write(path, List.of("# comment", "", "http.port = 8081"), StandardCharsets.UTF_8);

        final ConfigFile file = ConfigFile.read(path, errors);

        assertThat(file.source()).isEqualTo(path.toString());
        assertThat(file.entry("http.port")).contains(new ConfigFile.Entry("http.port", "8081", 3));
    }

    @Test
    void readsMissingFileAsEmpty() throws IOException {
        final ConfigFile file = ConfigFile.read(dir.resolve("absent.properties"), errors);

        assertThat(file.keys()).isEmpty();
        assertThat(errors.isEmpty()).isTrue();
    }

    // --- syntax errors ------------------------------------------------------------------------------------------

    @Test
    void reportsLineWithoutEqualsSign() {
        parse("# header", "http.port 8080");

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":2")
                .contains("http.port 8080")
                .contains("key = value");
    }

    @Test
    void reportsLineWithoutKey() {
        parse("= 8080");

        assertThat(errors.messages()).singleElement().asString().contains(SOURCE + ":1").contains("key = value");
    }

    @Test
    void lineWithoutEqualsSignSetsNothing() {
        assertThat(parse("http.port 8080").keys()).isEmpty();
    }

    @Test
    void reportsDuplicateKeyNamingTheFirstLine() {
        parse("http.port = 1", "# again", "http.port = 2");

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":3")
                .contains("http.port")
                .contains("duplicate")
                .contains("line 1");
    }

    /** The error names the previous occurrence, not the first: a third "http.port" says "first set on line 2". */
    @Test
    void reportsThirdDuplicateNamingTheFirstLine() {
        parse("http.port = 1", "http.port = 2", "http.port = 3");

        assertThat(errors.messages()).hasSize(2).last().asString()
                .contains(SOURCE + ":3")
                .contains("first set on line 1");
    }

    @Test
    void reportsEveryErrorOfAFileInOnePass() {
        parse("nonsense", "http.port = 1", "http.port = 2", "also nonsense");

        assertThat(errors.messages()).hasSize(3);
    }

    @Test
    void readReportsSyntaxErrorsWithFileAndLine() throws IOException {
        final Path file = write("bad.properties", "http.host = x", "oops");

        ConfigFile.read(file, errors);

        assertThat(errors.messages()).singleElement().asString().startsWith(file + ":2: oops:");
    }

    // --- unknown keys -------------------------------------------------------------------------------------------

    @Test
    void reportsUnknownKeyWithLine() {
        final ConfigFile file = parse("http.host = x", "http.prot = 8080");

        file.rejectUnknownKeys(ExtensionSettings.KEYS, errors);

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":2")
                .contains("http.prot")
                .contains("unknown setting")
                .contains("http.port");
    }

    @Test
    void acceptsOnlyKnownKeys() {
        parse("http.host = x", "http.port = 1").rejectUnknownKeys(ExtensionSettings.KEYS, errors);

        assertThat(errors.isEmpty()).isTrue();
    }

    // --- integers -----------------------------------------------------------------------------------------------

    @Test
    void readsIntegerInRange() {
        assertThat(parse("n = 42").intValue("n", 7, 0, 100, errors)).isEqualTo(42);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void acceptsIntegerAtBothBoundsOfTheRange() {
        final ConfigFile file = parse("low = 10", "high = 20");

        assertThat(file.intValue("low", 0, 10, 20, errors)).isEqualTo(10);
        assertThat(file.intValue("high", 0, 10, 20, errors)).isEqualTo(20);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void absentIntegerTakesTheFallbackSilently() {
        assertThat(parse().intValue("n", 7, 0, 100, errors)).isEqualTo(7);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void reportsNonIntegerAndReturnsTheFallback() {
        final int value = parse("# x", "http.port = eighty").intValue("http.port", 8080, 0, 65535, errors);

        assertThat(value).isEqualTo(8080);
        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":2")
                .contains("http.port")
                .contains("'eighty' is not an integer");
    }

    @Test
    void reportsDecimalAsNonInteger() {
        parse("live.flush-millis = 7.5").intValue("live.flush-millis", 75, 10, 10_000, errors);

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":1").contains("live.flush-millis").contains("not an integer");
    }

    @Test
    void reportsIntegerAboveTheRangeAndReturnsTheFallback() {
        final int value = parse("http.port = 70000").intValue("http.port", 8080, 0, 65535, errors);

        assertThat(value).isEqualTo(8080);
        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":1")
                .contains("http.port")
                .contains("70000")
                .contains("0..65535");
    }

    @Test
    void reportsIntegerBelowTheRange() {
        parse("", "", "live.flush-millis = 5").intValue("live.flush-millis", 75, 10, 10_000, errors);

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":3").contains("live.flush-millis").contains("outside 10..10000");
    }

    @Test
    void reportsIntegerBeyondIntRangeAsNonInteger() {
        parse("http.port = 99999999999").intValue("http.port", 8080, 0, 65535, errors);

        assertThat(errors.messages()).singleElement().asString().contains(SOURCE + ":1").contains("http.port");
    }

    // --- strings ------------------------------------------------------------------------------------------------

    @Test
    void readsString() {
        assertThat(parse("http.host = 10.0.0.1").stringValue("http.host", "0.0.0.0", errors)).isEqualTo("10.0.0.1");
    }

    @Test
    void reportsEmptyStringAndReturnsTheFallback() {
        final String value = parse("http.host =").stringValue("http.host", "0.0.0.0", errors);

        assertThat(value).isEqualTo("0.0.0.0");
        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":1").contains("http.host").contains("empty");
    }

    // --- errors -------------------------------------------------------------------------------------------------

    @Test
    void throwIfAnyListsEveryError() {
        parse("a", "b");

        assertThatThrownBy(errors::throwIfAny)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE + ":1")
                .hasMessageContaining(SOURCE + ":2")
                .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(2));
    }

    @Test
    void throwIfAnyIsSilentWithoutErrors() {
        parse("http.port = 1");

        errors.throwIfAny();

        assertThat(errors.messages()).isEmpty();
    }

    // --- ExtensionSettings --------------------------------------------------------------------------------------

    @Test
    void emptyFileGivesDefaultSettings() throws IOException {
        final ConfigFile file = ConfigFile.read(write("empty.properties"), errors);

        assertThat(ExtensionSettings.from(file, errors, Path.of("conf"))).isEqualTo(ExtensionSettings.defaults());
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void commentsOnlyFileGivesDefaultSettings() throws IOException {
        final ConfigFile file = ConfigFile.read(write("comments.properties", "# http.port = 1", ""), errors);

        assertThat(ExtensionSettings.from(file, errors, Path.of("conf"))).isEqualTo(ExtensionSettings.defaults());
    }

    @Test
    void emptyConfigFileGivesDefaultSettings() {
        assertThat(ExtensionSettings.from(ConfigFile.empty("none"), errors, Path.of("conf"))).isEqualTo(ExtensionSettings.defaults());
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void defaultsAreWhatANewcomerGets() {
        assertThat(ExtensionSettings.defaults())
                .isEqualTo(new ExtensionSettings("0.0.0.0", 8080, 64 * 1024, 32, new LiveSettings(10, 8, 5_000, 20_000),
                        Path.of("data"), 30, 730,
                        TlsSettings.defaults(), AuthSettings.defaults(Path.of("conf")), new FleetSettings(15_000), new OpsSettings(60, 10),
                        new AlertSettings(Path.of("conf", "alerts.rules"), 500),
                        InteropSettings.defaults(Path.of("conf")), QuotaSettings.defaults(), HttpLimits.defaults(),
                        ClusterSettings.defaults(), AnalyticsSettings.defaults(),
                        new DisplaySettings(Path.of("conf", "display.conf"))));
    }

    @Test
    void settingsFromFileOverrideDefaults() throws IOException {
        final ConfigFile file = ConfigFile.read(write("set.properties",
                "http.host = 127.0.0.1",
                "http.port = 0",
                "ingest.max-payload-bytes = 1024",
                "ingest.max-topic-levels = 8",
                "live.flush-millis = 50",
                "live.frames-in-flight = 4",
                "live.slow-client-millis = 2000",
                "data.dir = /var/lib/cellwatch",
                "history.raw-retention-days = 7",
                "history.rollup-retention-days = 365",
                "fleet.stale-after-millis = 2000",
                "alerts.rules-file = /etc/cellwatch/alerts.rules",
                "alerts.webhook-backoff-millis = 100"), errors);

        assertThat(ExtensionSettings.from(file, errors, Path.of("conf"))).isEqualTo(new ExtensionSettings("127.0.0.1", 0, 1024, 8,
                new LiveSettings(50, 4, 2_000, 20_000),
                Path.of("/var/lib/cellwatch"), 7, 365, TlsSettings.defaults(), AuthSettings.defaults(Path.of("conf")),
                new FleetSettings(2_000), new OpsSettings(60, 10),
                new AlertSettings(Path.of("/etc/cellwatch/alerts.rules"), 100),
                InteropSettings.defaults(Path.of("conf")), QuotaSettings.defaults(), HttpLimits.defaults(),
                        ClusterSettings.defaults(), AnalyticsSettings.defaults(),
                        new DisplaySettings(Path.of("conf", "display.conf"))));
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void invalidSettingKeepsItsDefaultAndIsReported() throws IOException {
        final Path path = write("bad.properties", "http.port = 8081", "ingest.max-topic-levels = 1");
        final ConfigFile file = ConfigFile.read(path, errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(settings.httpPort()).isEqualTo(8081);
        assertThat(settings.maxTopicLevels()).isEqualTo(ExtensionSettings.defaults().maxTopicLevels());
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":2").contains(ExtensionSettings.MAX_TOPIC_LEVELS);
    }

    @Test
    void liveSettingOutOfRangeNamesFileLineAndKeyAndKeepsItsDefault() throws IOException {
        final Path path = write("live.properties", "live.flush-millis = 30", "live.slow-client-millis = 5");
        final ConfigFile file = ConfigFile.read(path, errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(settings.live()).isEqualTo(new LiveSettings(30, 8, 5_000, 20_000));
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":2").contains(LiveSettings.SLOW_CLIENT_MILLIS);
    }

    @Test
    void clientBoundsAreReadAndOneOutOfRangeNamesFileLineAndKeyAndKeepsItsDefault() throws IOException {
        final Path path = write("limits.properties", "live.commands-per-second = 5", "live.command-burst = 10",
                "live.commands-queued = 4", "live.pending-commands = 100", "live.max-message-bytes = 4096",
                "live.snapshot-page-series = 50", "http.max-body-bytes = 2048", "http.max-snapshot-series = 0");
        final ConfigFile file = ConfigFile.read(path, errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(settings.live()).isEqualTo(new LiveSettings(10, 8, 5_000, 20_000, 5, 10, 4, 100, 4096, 50));
        assertThat(settings.http()).isEqualTo(new HttpLimits(2048, HttpLimits.defaults().maxSnapshotSeries(), HttpLimits.defaults().maxExportRows()));
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":8").contains(HttpLimits.MAX_SNAPSHOT_SERIES);
    }

    @Test
    void staleTimeoutOutOfRangeNamesFileLineAndKeyAndKeepsItsDefault() throws IOException {
        final Path path = write("fleet.properties", "http.port = 8081", "fleet.stale-after-millis = 5");
        final ConfigFile file = ConfigFile.read(path, errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(settings.fleet()).isEqualTo(FleetSettings.defaults());
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":2").contains(FleetSettings.STALE_AFTER_MILLIS);
    }

    @Test
    void analyticsSettingsAreReadIntoTheEstimatorsKnobs() throws IOException {
        final Path path = write("analytics.properties", "analytics.enabled = false", "analytics.min-step-amps = 50",
                "analytics.min-soc-swing-percent = 40", "analytics.rest-amps = 5", "analytics.max-packs = 10");
        final ExtensionSettings settings = ExtensionSettings.from(ConfigFile.read(path, errors), errors,
                Path.of("conf"));

        assertThat(errors.messages()).isEmpty();
        assertThat(settings.analytics().enabled()).isFalse();
        assertThat(settings.analytics().maxPacks()).isEqualTo(10);
        assertThat(settings.analytics().minStepAmps()).isEqualTo(50);
        assertThat(settings.analytics().minSocSwingPercent()).isEqualTo(40);
        assertThat(settings.analytics().restAmps()).isEqualTo(5);
    }

    @Test
    void aRestCurrentNotBelowTheStepNamesFileLineAndKey() throws IOException {
        final Path path = write("analytics.properties", "analytics.min-step-amps = 10", "analytics.rest-amps = 10");
        final ExtensionSettings settings = ExtensionSettings.from(ConfigFile.read(path, errors), errors,
                Path.of("conf"));

        assertThat(settings.analytics().restAmps()).isLessThan(10);
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":2").contains(AnalyticsSettings.REST_AMPS).contains("must be below");
    }

    @Test
    void theAnalyticsStoreIntervalIsFiveMinutesByDefaultAndZeroStoresNone() throws IOException {
        assertThat(ExtensionSettings.defaults().analytics().storeIntervalSeconds()).isEqualTo(300);
        final Path path = write("analytics.properties", "analytics.store-interval-seconds = 0");
        final ExtensionSettings settings = ExtensionSettings.from(ConfigFile.read(path, errors), errors,
                Path.of("conf"));

        assertThat(errors.messages()).isEmpty();
        assertThat(settings.analytics().storing()).isFalse();
    }

    @Test
    void aNegativeAnalyticsStoreIntervalNamesFileLineAndKey() throws IOException {
        final Path path = write("analytics.properties", "analytics.enabled = true",
                "analytics.store-interval-seconds = -5");
        final ExtensionSettings settings = ExtensionSettings.from(ConfigFile.read(path, errors), errors,
                Path.of("conf"));

        assertThat(settings.analytics().storeIntervalSeconds()).isEqualTo(300);
        assertThat(errors.messages()).singleElement().asString()
                .contains(path + ":2").contains(AnalyticsSettings.STORE_INTERVAL_SECONDS).contains("outside 0..86400");
    }

    @Test
    void withHttpPortChangesOnlyThePort() {
        assertThat(ExtensionSettings.defaults().withHttpPort(1234))
                .isEqualTo(new ExtensionSettings("0.0.0.0", 1234, 64 * 1024, 32, new LiveSettings(10, 8, 5_000, 20_000),
                        Path.of("data"), 30, 730,
                        TlsSettings.defaults(), AuthSettings.defaults(Path.of("conf")), new FleetSettings(15_000), new OpsSettings(60, 10),
                        new AlertSettings(Path.of("conf", "alerts.rules"), 500),
                        InteropSettings.defaults(Path.of("conf")), QuotaSettings.defaults(), HttpLimits.defaults(),
                        ClusterSettings.defaults(), AnalyticsSettings.defaults(),
                        new DisplaySettings(Path.of("conf", "display.conf"))));
    }

    @Test
    void keystoreAndAccessFilesResolveAgainstTheConfigFolder() throws IOException {
        final ConfigFile file = ConfigFile.read(write("tls.properties", "tls.keystore = server.p12",
                "tls.keystore-password = pw", "auth.acl-file = rules/acl"), errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("/etc/cellwatch"));

        assertThat(errors.isEmpty()).isTrue();
        assertThat(settings.tls().keystore()).hasValue(Path.of("/etc/cellwatch/server.p12"));
        assertThat(settings.tls().keyPassword()).isEqualTo("pw");
        assertThat(settings.auth().aclFile()).isEqualTo(Path.of("/etc/cellwatch/rules/acl"));
        assertThat(settings.auth().passwordFile()).isEqualTo(Path.of("/etc/cellwatch/passwd"));
    }

    @Test
    void keystoreWithoutPasswordIsAnErrorNamingTheLine() throws IOException {
        final ConfigFile file = ConfigFile.read(write("tls.properties", "# tls", "tls.keystore = server.p12"), errors);

        ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(errors.messages()).singleElement().asString()
                .contains("tls.properties:2").contains("tls.keystore-password");
    }

    @Test
    void authSwitchMustBeTrueOrFalse() throws IOException {
        final ConfigFile file = ConfigFile.read(write("auth.properties", "auth.enabled = yes"), errors);

        final ExtensionSettings settings = ExtensionSettings.from(file, errors, Path.of("conf"));

        assertThat(settings.auth().enabled()).isTrue();
        assertThat(errors.messages()).singleElement().asString()
                .contains("auth.properties:1").contains("'yes' is not true or false");
    }

    @Test
    void anEnvironmentVariableOverridesTheFileAndABadOneIsNamed() throws IOException {
        final ConfigFile file = ConfigFile.read(write("env.properties", "http.port = 9000", "http.host = 127.0.0.1"),
                errors);

        final ConfigFile merged = file.withEnvironment(java.util.Map.of("CELLWATCH_HTTP_PORT", "9100",
                "CELLWATCH_INGEST_MAX_TOPIC_LEVELS", "many", "CELLWATCH_HTTP_PROT", "1", "CELLWATCH_CONF", "/etc/x",
                "HOME", "/root"), ExtensionSettings.KEYS, java.util.Set.of("CELLWATCH_CONF"), errors);
        final ExtensionSettings settings = ExtensionSettings.from(merged, errors, Path.of("conf"));

        assertThat(settings.httpPort()).isEqualTo(9100);
        assertThat(settings.httpHost()).isEqualTo("127.0.0.1");
        assertThat(ConfigFile.environmentName("ingest.max-topic-levels")).isEqualTo("CELLWATCH_INGEST_MAX_TOPIC_LEVELS");
        assertThat(errors.messages()).containsExactlyInAnyOrder(
                "environment: CELLWATCH_HTTP_PROT: names no setting; settings are "
                        + new java.util.TreeSet<>(ExtensionSettings.KEYS.stream().map(ConfigFile::environmentName)
                        .toList()),
                "environment CELLWATCH_INGEST_MAX_TOPIC_LEVELS: ingest.max-topic-levels: 'many' is not an integer");
    }

    @Test
    void theProbeIntervalIsCheckedAndComesFromTheEnvironmentToo() throws IOException {
        final ConfigFile file = ConfigFile.read(write("probe.properties", "probe.interval-seconds = 3601"), errors);
        ExtensionSettings.from(file, errors, Path.of("conf"));
        assertThat(errors.messages()).singleElement().asString().contains("probe.interval-seconds", "3601");

        final ConfigErrors fine = new ConfigErrors();
        final ConfigFile merged = ConfigFile.read(write("probe2.properties", "probe.interval-seconds = 30"), fine)
                .withEnvironment(java.util.Map.of("CELLWATCH_PROBE_INTERVAL_SECONDS", "0"), ExtensionSettings.KEYS,
                        java.util.Set.of(), fine);
        final ExtensionSettings settings = ExtensionSettings.from(merged, fine, Path.of("conf"));

        assertThat(fine.messages()).isEmpty();
        assertThat(settings.ops().probeIntervalSeconds()).isZero();
        assertThat(ExtensionSettings.defaults().ops().probeIntervalSeconds()).isEqualTo(10);
        assertThat(ExtensionSettings.defaults().ops().probeReadySeconds()).isEqualTo(90);
    }
}
