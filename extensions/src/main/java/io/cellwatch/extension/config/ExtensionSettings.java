package io.cellwatch.extension.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The extension's typed settings: where the HTTP API listens and the limits of the ingest path.
 *
 * @param httpHost        interface the HTTP server binds to
 * @param httpPort        HTTP port for the API, WebSocket and {@code /metrics}; 0 picks a free port
 * @param maxPayloadBytes largest telemetry payload accepted; larger publishes are rejected as oversize
 * @param maxTopicLevels  most topic levels accepted after {@code tenants/{tenant}}
 * @param live            the live WebSocket fan-out
 * @param dataDir         folder for the WAL ({@code wal/}) and the history database ({@code history/})
 * @param rawRetentionDays    days raw samples are kept
 * @param rollupRetentionDays days per-minute and per-hour rollups are kept
 * @param tls             TLS for MQTT and HTTP
 * @param auth            authentication and access control
 * @param fleet           gateway state tracking
 * @param ops             health checks and the synthetic probe
 * @param alerts          alert rules file and webhooks
 * @param interop         foreign devices: mapping rules, Sparkplug B
 * @param quotas          default per-tenant quotas (series, retained messages, metrics per payload)
 * @param http            request body and REST snapshot limits
 * @param cluster         this node's role and its link to Apache Kafka
 * @param analytics       battery analytics: on or off, the estimators' knobs, bounds
 * @param display         the display file: units, labels and level names over the built-in ones
 */
public record ExtensionSettings(String httpHost, int httpPort, int maxPayloadBytes, int maxTopicLevels,
                                LiveSettings live, Path dataDir, int rawRetentionDays, int rollupRetentionDays,
                                TlsSettings tls, AuthSettings auth, FleetSettings fleet,
                                OpsSettings ops, AlertSettings alerts,
                                InteropSettings interop, QuotaSettings quotas, HttpLimits http,
                                ClusterSettings cluster, AnalyticsSettings analytics,
                                DisplaySettings display) {

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String MAX_PAYLOAD_BYTES = "ingest.max-payload-bytes";
    public static final String MAX_TOPIC_LEVELS = "ingest.max-topic-levels";
    public static final String DATA_DIR = "data.dir";
    public static final String RAW_RETENTION_DAYS = "history.raw-retention-days";
    public static final String ROLLUP_RETENTION_DAYS = "history.rollup-retention-days";

    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of(HTTP_HOST, HTTP_PORT, MAX_PAYLOAD_BYTES, MAX_TOPIC_LEVELS,
            LiveSettings.FLUSH_MILLIS, LiveSettings.FRAMES_IN_FLIGHT, LiveSettings.SLOW_CLIENT_MILLIS, LiveSettings.FRAMES_PER_SECOND, DATA_DIR,
            LiveSettings.COMMANDS_PER_SECOND, LiveSettings.COMMAND_BURST, LiveSettings.COMMANDS_QUEUED,
            LiveSettings.PENDING_COMMANDS, LiveSettings.MAX_MESSAGE_BYTES, LiveSettings.SNAPSHOT_PAGE_SERIES,
            HttpLimits.MAX_BODY_BYTES, HttpLimits.MAX_SNAPSHOT_SERIES, HttpLimits.MAX_EXPORT_ROWS,
            RAW_RETENTION_DAYS, ROLLUP_RETENTION_DAYS,
            TlsSettings.KEYSTORE, TlsSettings.KEYSTORE_PASSWORD, TlsSettings.KEY_PASSWORD, TlsSettings.MQTT_PORT,
            TlsSettings.HTTPS_PORT, AuthSettings.ENABLED, AuthSettings.PASSWORD_FILE, AuthSettings.ACL_FILE, AuthSettings.ALLOW_ANONYMOUS,
            AuthSettings.SESSION_MINUTES, AuthSettings.LOGIN_FAILURES_PER_MINUTE, FleetSettings.STALE_AFTER_MILLIS,
            OpsSettings.MAX_HISTORY_LAG_SECONDS, OpsSettings.PROBE_INTERVAL_SECONDS,
            AlertSettings.RULES_FILE, AlertSettings.WEBHOOK_BACKOFF_MILLIS,
            InteropSettings.MAPPING_FILE, QuotaSettings.SERIES_PER_TENANT, QuotaSettings.NEW_SERIES_PER_MINUTE,
            QuotaSettings.METRICS_PER_PAYLOAD, QuotaSettings.RETAINED_BYTES_PER_TENANT,
            QuotaSettings.RETAINED_MESSAGES_PER_TENANT, QuotaSettings.SUBSCRIPTIONS_PER_CLIENT,
            QuotaSettings.SESSIONS_PER_USER, ClusterSettings.ROLE, ClusterSettings.NODE_ID,
            ClusterSettings.BOOTSTRAP_SERVERS, ClusterSettings.TOPIC_PREFIX, ClusterSettings.PARTITIONS,
            ClusterSettings.MAX_EXPORT_LAG_SECONDS, AnalyticsSettings.ENABLED, AnalyticsSettings.MIN_STEP_AMPS,
            AnalyticsSettings.MAX_GAP_MILLIS, AnalyticsSettings.RESISTANCE_WINDOW,
            AnalyticsSettings.MIN_SOC_SWING_PERCENT, AnalyticsSettings.CAPACITY_WINDOW, AnalyticsSettings.REST_AMPS,
            AnalyticsSettings.MAX_PACKS, AnalyticsSettings.MAX_CELLS_PER_PACK,
            AnalyticsSettings.STORE_INTERVAL_SECONDS, DisplaySettings.FILE);

    /**
     * What a newcomer gets: HTTP on 8080 on every interface, 64 KiB payloads, live changes flushed within 10 ms, data
     * under {@code ./data}, raw samples for 30 days and rollups for two years, TLS off, users and rules in
     * {@code ./conf}.
     */
    public static ExtensionSettings defaults() {
        return new ExtensionSettings("0.0.0.0", 8080, 64 * 1024, 32, LiveSettings.defaults(), Path.of("data"), 30,
                730, TlsSettings.defaults(), AuthSettings.defaults(Path.of("conf")), FleetSettings.defaults(),
                OpsSettings.defaults(), AlertSettings.defaults(Path.of("conf")),
                InteropSettings.defaults(Path.of("conf")), QuotaSettings.defaults(), HttpLimits.defaults(),
                ClusterSettings.defaults(), AnalyticsSettings.defaults(), DisplaySettings.defaults(Path.of("conf")));
    }

    /**
     * Reads the extension's settings from {@code file}; unset keys keep their defaults, errors go to {@code errors}.
     * Relative auth and keystore file names resolve against {@code confDir}.
     */
    public static ExtensionSettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        final ExtensionSettings d = defaults();
        return new ExtensionSettings(
                file.stringValue(HTTP_HOST, d.httpHost(), errors),
                file.intValue(HTTP_PORT, d.httpPort(), 0, 65535, errors),
                file.intValue(MAX_PAYLOAD_BYTES, d.maxPayloadBytes(), 16, 16 * 1024 * 1024, errors),
                file.intValue(MAX_TOPIC_LEVELS, d.maxTopicLevels(), 2, 128, errors),
                LiveSettings.from(file, errors),
                Path.of(file.stringValue(DATA_DIR, d.dataDir().toString(), errors)),
                file.intValue(RAW_RETENTION_DAYS, d.rawRetentionDays(), 1, 36_500, errors),
                file.intValue(ROLLUP_RETENTION_DAYS, d.rollupRetentionDays(), 1, 36_500, errors),
                TlsSettings.from(file, errors, confDir),
                AuthSettings.from(file, errors, confDir),
                FleetSettings.from(file, errors),
                OpsSettings.from(file, errors), AlertSettings.from(file, errors, confDir),
                InteropSettings.from(file, errors, confDir), QuotaSettings.from(file, errors),
                HttpLimits.from(file, errors), ClusterSettings.from(file, errors),
                AnalyticsSettings.from(file, errors), DisplaySettings.from(file, errors, confDir));
    }

    /** A copy listening on {@code port}. */
    public ExtensionSettings withHttpPort(final int port) {
        return new ExtensionSettings(httpHost, port, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, http, cluster,
                analytics, display);
    }

    /** A copy keeping its data in {@code dir}. */
    public ExtensionSettings withDataDir(final Path dir) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, http, cluster,
                analytics, display);
    }

    /** A copy with other TLS settings. */
    public ExtensionSettings withTls(final TlsSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, settings, auth, fleet, ops, alerts, interop, quotas, http,
                cluster, analytics, display);
    }

    /** A copy with other auth settings. */
    public ExtensionSettings withAuth(final AuthSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, settings, fleet, ops, alerts, interop, quotas, http,
                cluster, analytics, display);
    }

    /** A copy with other health settings. */
    public ExtensionSettings withOps(final OpsSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, settings, alerts, interop, quotas, http,
                cluster, analytics, display);
    }

    /** A copy with other interop settings. */
    public ExtensionSettings withInterop(final InteropSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, settings, quotas, http, cluster,
                analytics, display);
    }

    /** A copy with other gateway state settings. */
    public ExtensionSettings withFleet(final FleetSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, settings, ops, alerts, interop, quotas, http, cluster,
                analytics, display);
    }

    /** A copy with other default per-tenant quotas. */
    public ExtensionSettings withQuotas(final QuotaSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, settings, http, cluster,
                analytics, display);
    }

    /** A copy with other HTTP limits. */
    public ExtensionSettings withHttp(final HttpLimits settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, settings,
                cluster, analytics, display);
    }

    /** A copy with other alert settings. */
    public ExtensionSettings withAlerts(final AlertSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, settings, interop, quotas, http, cluster,
                analytics, display);
    }

    /** A copy with another display file. */
    public ExtensionSettings withDisplay(final DisplaySettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, http, cluster,
                analytics, settings);
    }

    /** A copy with other analytics settings. */
    public ExtensionSettings withAnalytics(final AnalyticsSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, http, cluster,
                settings, display);
    }

    /** A copy with another cluster role and Kafka link. */
    public ExtensionSettings withCluster(final ClusterSettings settings) {
        return new ExtensionSettings(httpHost, httpPort, maxPayloadBytes, maxTopicLevels, live, dataDir,
                rawRetentionDays, rollupRetentionDays, tls, auth, fleet, ops, alerts, interop, quotas, http, settings,
                analytics, display);
    }
}
