package io.cellwatch.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.extension.alerts.AlertMetrics;
import io.cellwatch.extension.analytics.AnalyticsEngine;
import io.cellwatch.extension.analytics.EstimatorSettings;
import io.cellwatch.extension.analytics.WeakCellGauges;
import io.cellwatch.extension.history.AnalyticsHistory;
import io.cellwatch.extension.history.AnalyticsSnapshotWriter;
import io.cellwatch.extension.config.AnalyticsSettings;
import io.cellwatch.extension.alerts.AlertService;
import io.cellwatch.extension.display.DisplayWatcher;
import io.prometheus.metrics.core.metrics.Counter;
import io.cellwatch.extension.alerts.AlertTopic;
import io.cellwatch.extension.api.ApiJson;
import io.cellwatch.extension.api.ApiServer;
import io.cellwatch.extension.api.HttpAccess;
import io.cellwatch.extension.config.AuthSettings;
import io.cellwatch.extension.config.ClusterSettings;
import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.export.WalExporter;
import io.cellwatch.extension.feed.KafkaFeed;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.ingest.RelayedIngest;
import io.cellwatch.extension.config.ConfigFile;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.config.OpsSettings;
import io.cellwatch.extension.probe.SyntheticProbe;
import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.extension.quota.QuotaMetrics;
import io.cellwatch.extension.quota.RetainedRecount;
import io.cellwatch.extension.quota.TenantLimits;
import io.cellwatch.extension.quota.TenantQuota;
import io.cellwatch.extension.quota.TenantQuotas;
import io.cellwatch.extension.security.ProbeLogin;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.fleet.FleetLifecycle;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.fleet.StatusTopic;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.ingest.IngestMetrics;
import io.cellwatch.extension.ingest.TelemetryIngest;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.extension.ingest.TelemetryInterceptor;
import io.cellwatch.extension.interop.ForeignTopics;
import io.cellwatch.extension.interop.InteropMetrics;
import io.cellwatch.extension.interop.MappedTopics;
import io.cellwatch.extension.live.LiveFanout;
import io.cellwatch.extension.live.LiveMetrics;
import io.cellwatch.extension.health.BrokerListening;
import io.cellwatch.extension.health.Readiness;
import io.cellwatch.extension.metrics.DropwizardBridge;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.security.AccessControl;
import io.cellwatch.extension.security.MqttAccess;
import io.cellwatch.extension.shutdown.ShutdownNotice;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.sparkplug.BrokerRebirthRequests;
import io.cellwatch.extension.sparkplug.SparkplugIngest;
import io.cellwatch.extension.sparkplug.SparkplugMetrics;
import io.cellwatch.extension.sparkplug.SparkplugWills;
import io.cellwatch.extension.events.ClientLifecycleListeners;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import io.cellwatch.extension.storage.RecoveryReport;
import io.cellwatch.extension.storage.ReportStore;
import io.cellwatch.extension.storage.SampleStore;
import io.cellwatch.mapping.MappingWatcher;
import io.cellwatch.mapping.TopicMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of the cellwatch extension, embedded by the cellwatch broker or dropped into a stock HiveMQ CE's
 * {@code extensions/} folder. Embedded, it takes its settings from the broker; dropped in, it reads
 * {@code conf/cellwatch.properties} in its own folder.
 */
public final class CellwatchExtensionMain implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(CellwatchExtensionMain.class);
    private static final long MIN_FREE_DISK_BYTES = 64L * 1024 * 1024;
    private static final int PAYLOAD_CEILING = (int) TenantLimit.PAYLOAD_BYTES.max();
    /** How far back a serving node's duplicate guard is rebuilt from history at start. */
    private static final Duration RELAYED_SEQ_WINDOW = Duration.ofHours(24);
    /** Publishes waiting for the analytics thread before new ones are dropped for analytics. */
    private static final int ANALYTICS_QUEUE = 65_536;

    private final ExtensionSettings preset;
    private volatile String startFailure;
    private volatile SeriesCatalog catalog;
    private volatile RecoveryReport recovery;
    private SampleStore store;
    private LiveFanout fanout;
    private ApiServer api;
    private AccessControl access;
    private MqttAccess mqttAccess;
    private FleetState fleet;
    private final Readiness readiness = new Readiness();
    private AlertService alerts;
    private AnalyticsEngine analytics;
    private ReportStore reportStore;
    private DisplayWatcher display;
    private MappingWatcher mapping;
    private SparkplugIngest sparkplug;
    private final ProbeLogin probeLogin = ProbeLogin.random();
    private volatile SyntheticProbe probe;
    private volatile ClientService clients;
    private WalExporter exporter;
    private KafkaFeed feed;

    /** Used by HiveMQ for a dropped-in extension: settings come from the extension folder. */
    public CellwatchExtensionMain() {
        this(null);
    }

    /** Used by the cellwatch broker, which has read and validated the settings already. */
    public CellwatchExtensionMain(final ExtensionSettings settings) {
        this.preset = settings;
    }

    @Override
    public void extensionStart(final @NotNull ExtensionStartInput input, final @NotNull ExtensionStartOutput output) {
        try {
            // Services is static: with two embedded brokers in one JVM (tests) it answers for the last one started.
            clients = Services.clientService();
            final ExtensionSettings settings = preset != null ? preset
                    : readSettings(input.getExtensionInformation().getExtensionHomeFolder().toPath());
            final Metrics registry = Metrics.forServer(version());
            registry.register(new DropwizardBridge(Services.metricRegistry()));
                        try {
                mapping = MappingWatcher.start(settings.interop().mappingFile(), Duration.ofMillis(500));
            } catch (final InvalidFileException e) {
                startFailure = "mapping rules: " + e.getMessage() + System.lineSeparator()
                        + "  (the format is in docs/interop.md)";
                log.error(startFailure);
                output.preventExtensionStartup(startFailure);
                return;
            }
            final MappingWatcher mappings = mapping;
            registry.counter("cellwatch_mapping_reloads_failed_total",
                    "Edits of the mapping rules file refused as invalid (the last good rules stay loaded)",
                    mappings::failedReloads);
            fleet = new FleetState(Clock.systemUTC(), settings.fleet().staleAfterMillis());
            final FleetLifecycle lifecycle = new FleetLifecycle(fleet);
            final SparkplugWills wills = new SparkplugWills();
            Services.interceptorRegistry().setConnectInboundInterceptorProvider(provider -> wills);
            final HttpAccess httpAccess = secure(settings, registry,
                    new ClientLifecycleListeners(List.of(lifecycle, wills)));
            store = SampleStore.open(settings, registry);
            final TenantQuotas quotas = new TenantQuotas(TenantLimits.defaults(settings.quotas(),
                    settings.maxPayloadBytes()), Clock.systemUTC(), QuotaMetrics.register(registry));
            if (access != null) {
                access.onPolicy(policy -> quotas.apply(policy.tenantLimits(), policy.tenants()));
            }
            if (mqttAccess != null) {
                mqttAccess.enforce(quotas);
            }
            final SampleStore wal = store;
            final SeriesCatalog series = new SeriesCatalog(created -> {
                wal.seriesCreated(created);
                quotas.seriesCreated(created);
            });
            final GatewayRegistry gateways = new GatewayRegistry(store::gatewayCreated);
            final ClusterSettings cluster = settings.cluster();
            // The tree, latest values and duplicate guard are complete before the first publish is taken.
            recovery = cluster.role().consumes()
                    ? store.recover(series, gateways, System.currentTimeMillis() - RELAYED_SEQ_WINDOW.toMillis())
                    : store.recover(series, gateways);
            quotas.seriesRecovered(series.under(""));
            log.info("cellwatch recovered {} series of {} gateways in {} ms ({} WAL records after the DuckDB "
                    + "checkpoint)", recovery.series(), recovery.gateways(), recovery.millis(), recovery.walReplayed());
            if (cluster.role().exports()) {
                exporter = new WalExporter(store.wal(), series, gateways, cluster, registry);
                final WalExporter exports = exporter;
                store.holdWalUntilExported(exports::exported);
            }
            store.start();
            final FleetState states = fleet;
            final SampleStore events = store;
            // Fleet thread: the retained status topic, then the history event (WAL, tailed into DuckDB).
            states.onChange(new StatusTopic());
            states.onTransition(status -> events.gatewayStateChanged(gateways.gateway(status.key()),
                    status.state().word(), status.cause().word(), status.sinceMs()));
            if (cluster.role().exports()) {
                // After the state it rides on, in the same WAL, so serving nodes apply both in order.
                states.onReport(status -> events.gatewayHealthReported(gateways.gateway(status.key()),
                        PayloadWriter.gatewayHealth(status.health())));
            }
            alerts = new AlertService(Clock.systemUTC(), new AlertMetrics(registry),
                    settings.alerts().webhookBackoffMillis());
            final AlertService alerting = alerts;
            // Alert thread: the retained alert topic, then the history event (WAL, tailed into DuckDB).
            alerting.onChange(new AlertTopic());
            alerting.onChange(alert -> events.alertChanged(alert.message()));
            final AnalyticsSettings analysis = settings.analytics();
            analytics = new AnalyticsEngine(Clock.systemUTC(), new EstimatorSettings(analysis.minStepAmps(),
                    analysis.maxGapMillis(), analysis.resistanceWindow(), analysis.minSocSwingPercent() / 100.0,
                    analysis.capacityWindow(), analysis.restAmps()), registry,
                    ANALYTICS_QUEUE, analysis.maxPacks(), analysis.maxCellsPerPack());
            final AnalyticsEngine analysing = analytics;
            final boolean analysisOn = analysis.enabled() && cluster.role().serves();
            analysing.onReports(alerting::analytics);
            analysing.onReports(new WeakCellGauges(registry));
            if (analysisOn && analysis.storing()) {
                // Before the analytics thread starts: the last stored reports answer until fresh ones come.
                analysing.restore(new AnalyticsHistory(store.database()).latest(analysis.maxPacks()));
                reportStore = new ReportStore(new AnalyticsSnapshotWriter(store.database()), Clock.systemUTC(),
                        Duration.ofSeconds(analysis.storeIntervalSeconds()),
                        Duration.ofDays(settings.rollupRetentionDays()), registry);
                analysing.onReports(reportStore);
                reportStore.start();
            }
            catalog = series;
            registry.gauge("cellwatch_series", "Series known (discovered from publishes or recovered at start)",
                    () -> series.size());
            registry.gauge("cellwatch_tenant_series", "Series of each tenant of the ACL file (held against its "
                    + "series quota)", "tenant", () -> quotas.byDeclaredTenant(TenantQuota::series));
            registry.gauge("cellwatch_tenant_retained_bytes", "Bytes of retained messages (topic and payload) each "
                    + "tenant of the ACL file keeps (held against its retained-bytes quota)", "tenant",
                    () -> quotas.byDeclaredTenant(TenantQuota::retainedBytes));
            fanout = new LiveFanout(settings.live(), ApiJson.DELTA, new LiveMetrics(registry), System::nanoTime);
            final LiveFanout live = fanout;
            final SampleStore durable = store;
            final PublishSink sink = cluster.role().serves() ? publish -> {
                // WAL first: once the interceptor returns, the broker may acknowledge.
                durable.accept(publish);
                live.accept(publish);
                states.seen(publish.gateway().key());
                alerting.accept(publish);
                if (analysisOn) {
                    analysing.accept(publish);
                }
            } : publish -> {
                // An ingest node: the WAL (exported to Kafka) and the gateway's freshness; views are on serving nodes.
                durable.accept(publish);
                states.seen(publish.gateway().key());
            };
            final IngestMetrics ingestMetrics = new IngestMetrics(registry);
            final TelemetryIngest ingest = new TelemetryIngest(series, gateways,
                    // The payload size limit is each tenant's (checked before parsing); the parser's is the ceiling.
                    new TopicResolver(settings.maxTopicLevels()), new PayloadParser(PAYLOAD_CEILING),
                    ingestMetrics, sink, quotas,
                    cluster.role().exports() ? durable::retainedMeta : TelemetryIngest.RetainedMetaSink.NONE,
                    states::reported);
            if (cluster.role().consumes()) {
                feed = new KafkaFeed(cluster, store.feedPositions(), new RelayedIngest(series, gateways,
                        new TopicResolver(settings.maxTopicLevels()), ingestMetrics, sink), states, registry);
            }
            final MappingWatcher rules = mapping;
            sparkplug = SparkplugIngest.start(rules::current, ingest, states, new BrokerRebirthRequests(),
                    new SparkplugMetrics(registry), Clock.systemUTC());
            final MqttAccess access = mqttAccess;
            wills.start(sparkplug, new SparkplugWills.Publisher() {
                @Override
                public PublishPermission permission(final ConnectionInformation connection, final String clientId) {
                    return access == null ? PublishPermission.ANYONE : access.publishPermission(connection, clientId);
                }

                @Override
                public GatewayKey gateway(final ConnectionInformation connection, final String clientId) {
                    return access == null ? GatewayKey.anonymous(clientId) : access.gatewayKey(connection, clientId);
                }
            });
            final ForeignIngest foreign = new ForeignTopics(new MappedTopics(new TopicMapper(rules::current,
                    Clock.systemUTC(), PAYLOAD_CEILING), ingest, new InteropMetrics(registry)), sparkplug);
            final MqttAccess checks = mqttAccess;
            if (checks != null) {
                checks.checkWillsAgainst(foreign);
            }
            addReadinessChecks(settings, store);
            readiness.add("quotas", RetainedRecount.start(quotas));
            final Counter displayRejected = registry.counter(
                    "cellwatch_display_reloads_rejected_total",
                    "Edits of the display file refused as invalid (the last good units and names stay in force)");
            try {
                display = DisplayWatcher.start(settings.display().file(), Duration.ofSeconds(1),
                        displayRejected::inc);
            } catch (final InvalidFileException e) {
                throw new IllegalStateException(displayFileProblem(e), e);
            }
            api = new ApiServer(settings, series, fanout, registry, store.database(), httpAccess,
                    states, readiness, alerting, analysing, display);
            try {
                alerting.start(settings.alerts().rulesFile(), Duration.ofSeconds(1));
            } catch (final InvalidFileException e) {
                throw new IllegalStateException(alertRulesProblem(e), e);
            }
            api.start();
            fanout.start();
            if (analysisOn) {
                analysing.start();
            }
            states.start();
            if (exporter != null) {
                exporter.start();
                addExportCheck(cluster, exporter);
            }
            if (feed != null) {
                feed.start();
                final KafkaFeed consuming = feed;
                readiness.add("feed", () -> consuming.alive() && consuming.connected() ? Optional.empty()
                        : Optional.of("not consuming from Kafka"));
            }
            if (cluster.role().serves()) {
                startProbe(settings, series, registry);
            } else {
                log.info("synthetic probe off on an {} node (it checks the live view and history of a serving node)",
                        cluster.role().word());
            }
            // One interceptor per client, its publish check (and subscription guard) bound to the user it
            // authenticated as.
            Services.initializerRegistry().setClientInitializer((client, context) -> {
                final String clientId = client.getClientInformation().getClientId();
                PublishPermission permission = PublishPermission.ANYONE;
                GatewayKey gateway = GatewayKey.anonymous(clientId);
                final boolean probing;
                if (checks != null) {
                    permission = checks.publishPermission(client.getConnectionInformation(), clientId);
                    gateway = checks.gatewayKey(client.getConnectionInformation(), clientId);
                    checks.guardSubscriptions(client.getConnectionInformation(), clientId, context);
                    probing = MqttAccess.isProbe(client.getConnectionInformation());
                } else {
                    // Access control off: nothing is protected, the probe is known by its client id alone.
                    probing = ProbeLogin.CLIENT_ID.equals(clientId);
                    if (probing) {
                        permission = PublishPermission.probe();
                        gateway = ProbeLogin.gateway();
                    }
                }
                if (!probing && (checks == null || checks.isGateway(client.getConnectionInformation()))) {
                    lifecycle.track(gateway, client.getConnectionInformation().getConnectionAttributeStore());
                }
                context.addPublishInboundInterceptor(new TelemetryInterceptor(ingest, permission, gateway,
                        foreign));
            });
        } catch (final InvalidFileException e) {
            startFailure = accessFilesProblem(e);
            log.error(startFailure);
            output.preventExtensionStartup(startFailure);
            closeQuietly();
        } catch (final RuntimeException | IOException | SQLException e) {
            // HiveMQ keeps running without a failed extension; record why so an embedding broker can refuse to run.
            startFailure = "cellwatch extension failed to start: " + e;
            log.error(startFailure, e);
            output.preventExtensionStartup(startFailure);
            closeQuietly();
        }
    }

    @Override
    public void extensionStop(final @NotNull ExtensionStopInput input, final @NotNull ExtensionStopOutput output) {
        readiness.stopping();
        closeQuietly();
    }

    /** What /readyz checks: broker listening, access files loaded, WAL writable, history writer within its bound. */
    private void addReadinessChecks(final ExtensionSettings settings, final SampleStore samples) {
        readiness.add("broker", new BrokerListening());
        readiness.add("access", () -> !settings.auth().enabled() || access != null ? Optional.empty()
                : Optional.of("access files not loaded"));
        final Path walDir = settings.dataDir().toAbsolutePath().resolve("wal");
        readiness.add("wal", () -> {
            try {
                if (!java.nio.file.Files.isWritable(walDir)) {
                    return Optional.of("WAL folder not writable");
                }
                return java.nio.file.Files.getFileStore(walDir).getUsableSpace() < MIN_FREE_DISK_BYTES
                        ? Optional.of("less than 64 MiB free for the WAL") : Optional.empty();
            } catch (final IOException e) {
                return Optional.of("WAL folder not readable");
            }
        });
        final int maxLag = settings.ops().maxHistoryLagSeconds();
        readiness.add("history", () -> {
            if (!samples.writerAlive()) {
                return Optional.of("history writer stopped");
            }
            return samples.backlogAgeSeconds() > maxLag
                    ? Optional.of("history writer more than " + maxLag + " s behind") : Optional.empty();
        });
    }

    /** {@code /readyz} fails while the exporter is stopped or has had records pending longer than its bound. */
    private void addExportCheck(final ClusterSettings cluster, final WalExporter exports) {
        final int maxLag = cluster.maxExportLagSeconds();
        readiness.add("export", () -> {
            if (!exports.alive()) {
                return Optional.of("WAL exporter stopped");
            }
            return exports.lagSeconds() > maxLag
                    ? Optional.of("export to Kafka more than " + maxLag + " s behind") : Optional.empty();
        });
    }

    /**
     * Starts the synthetic probe unless {@code probe.interval-seconds} is 0; it becomes the {@code probe} check of
     * /readyz.
     */
    private void startProbe(final ExtensionSettings settings, final SeriesCatalog series, final Metrics registry) {
        final int every = settings.ops().probeIntervalSeconds();
        if (every == 0) {
            log.info("synthetic probe off ({} = 0)", OpsSettings.PROBE_INTERVAL_SECONDS);
            return;
        }
        probe = SyntheticProbe.start(Duration.ofSeconds(every), Duration.ofSeconds(settings.ops().maxHistoryLagSeconds()),
                Duration.ofSeconds(settings.ops().probeReadySeconds()), probeLogin, fanout, series, store.database(),
                registry, Clock.systemUTC());
        readiness.add("probe", probe.readiness());
    }

    /**
     * Stops the synthetic probe and disconnects its MQTT client; idempotent. The embedding broker calls this before
     * it stops HiveMQ, so the broker's shutdown meets no probe connection (a dropped-in extension is stopped after
     * HiveMQ closed its listeners, which drops the probe's connection).
     */
    public void stopProbe() {
        final SyntheticProbe current = probe;
        if (current != null) {
            current.close();
        }
    }

    /**
     * Tells every connected MQTT client that the server is shutting down (MQTT 5 DISCONNECT 0x8B), waiting at most
     * {@code timeout}. The embedded server calls it before it stops HiveMQ, which would only close the connections.
     */
    public void noticeShutdown(final Duration timeout) {
        final ClientService started = clients;
        if (started != null) {
            ShutdownNotice.tellEveryone(started, timeout);
        }
    }

    /** The readiness checks behind /readyz. */
    public Readiness readiness() {
        return readiness;
    }

    /**
     * Stops the history writer as a crash of its thread would; samples stay in the WAL and are written at next start.
     * For operations tests of readiness and alerting.
     */
    public void stopHistoryWriter() {
        final SampleStore current = store;
        if (current != null) {
            current.stopWriter();
        }
    }

    private static String version() {
        final String version = CellwatchExtensionMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** What an admin is told when the password or ACL file is missing or invalid: every problem, and what to do. */
    public static String accessFilesProblem(final InvalidFileException e) {
        return "access files: " + e.getMessage() + System.lineSeparator()
                + "  (make a password file with 'java -jar cellwatch.jar passwd -c <file> <user>'; the rules file "
                + "format is in docs/access-control.md; --demo makes both for you)";
    }

    /** What an admin is told when the alert rules file is invalid at start: every problem with its line. */
    public static String alertRulesProblem(final InvalidFileException e) {
        return "alert rules: " + e.getMessage() + System.lineSeparator()
                + "  (the rules file format is in docs/alerts.md)";
    }

    /** What an admin is told when the display file is invalid at start: every problem with its line. */
    public static String displayFileProblem(final InvalidFileException e) {
        return "display file: " + e.getMessage() + System.lineSeparator()
                + "  (the display file format is in docs/api.md, \"Units and names\")";
    }

    /** Why start-up failed, or empty if it did not (or has not run yet). */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** The discovered tree; exposed for the embedding broker (demo readiness, start-up report). */
    public SeriesCatalog catalog() {
        return catalog;
    }

    /** What start-up recovered from storage. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return api.port();
    }

    /** The HTTPS port actually bound; only when TLS is configured. */
    public int httpsPort() {
        return api.httpsPort();
    }

    /** Registers authentication and ACL checks for MQTT, and returns the matching HTTP gatekeeper. */
    private HttpAccess secure(final ExtensionSettings settings, final Metrics registry,
                              final ClientLifecycleEventListener lifecycle) throws InvalidFileException, IOException {
        final AuthSettings auth = settings.auth();
        if (!auth.enabled()) {
            Services.eventRegistry().setClientLifecycleEventListener(input -> lifecycle);
            log.warn("ACCESS CONTROL IS OFF ({} = false): every MQTT and HTTP client may read and write everything. "
                    + "Only for benchmarks and isolated test rigs.", AuthSettings.ENABLED);
            return HttpAccess.open();
        }
        access = AccessControl.start(auth, registry);
        final MappingWatcher rules = mapping;
        mqttAccess = MqttAccess.register(access, registry, settings.dataDir(), lifecycle, probeLogin,
                rules::current);
        return HttpAccess.checking(access, Duration.ofMinutes(auth.sessionMinutes()));
    }

    private static ExtensionSettings readSettings(final Path home) throws IOException {
        final ConfigErrors errors = new ConfigErrors();
        final ConfigFile file = ConfigFile.read(home.resolve("conf").resolve("cellwatch.properties"), errors);
        file.rejectUnknownKeys(ExtensionSettings.KEYS, errors);
        final ExtensionSettings settings = ExtensionSettings.from(file, errors, home.resolve("conf"));
        errors.throwIfAny();
        // Dropped in, the broker's working folder is not ours: a relative data folder lives in the extension folder.
        return settings.dataDir().isAbsolute() ? settings : settings.withDataDir(home.resolve(settings.dataDir()));
    }

    private void closeQuietly() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (exporter != null) {
            exporter.close();
            exporter = null;
        }
        if (display != null) {
            display.close();
            display = null;
        }
        if (probe != null) {
            probe.close();
            probe = null;
        }
        if (alerts != null) {
            alerts.close();
            alerts = null;
        }
        if (analytics != null) {
            analytics.close();
            analytics = null;
        }
        if (reportStore != null) {
            // Stores the pending reports while the history database is still open.
            reportStore.close();
            reportStore = null;
        }
        if (sparkplug != null) {
            sparkplug.close();
            sparkplug = null;
        }
        if (mapping != null) {
            mapping.close();
            mapping = null;
        }
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
        if (api != null) {
            api.close();
        }
        if (fanout != null) {
            fanout.close();
        }
        if (store != null) {
            store.close();
            store = null;
        }
        if (mqttAccess != null) {
            mqttAccess.close();
            mqttAccess = null;
        }
        if (access != null) {
            access.close();
            access = null;
        }
    }
}
