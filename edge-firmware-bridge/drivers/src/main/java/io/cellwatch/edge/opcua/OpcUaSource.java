package io.cellwatch.edge.opcua;

import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.DeviceTime;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceCounter;
import io.cellwatch.edge.source.SourceHealth;
import io.cellwatch.edge.source.SourceType;
import io.cellwatch.edge.source.TimedNodeCollector;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscriptionManager;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * An OPC-UA server (a PLC) read through its node map with Eclipse Milo: endpoint discovery, security policy None or
 * Basic256Sha256 with the gateway's own certificate, anonymous or user/password. By default the values come from
 * monitored items of one subscription (sampling interval, deadband) and are handed to the buffer as they arrive;
 * with {@code mode = poll} every node is read on each poll.
 * <p>
 * Connecting is retried with backoff until it works. After that Milo keeps the session: on a lost connection it
 * reactivates the session, or creates a new one and transfers the subscription to it; where the server cannot
 * transfer (it restarted) the subscription is created again here. A value whose status is not Good is counted for
 * its node and never published; a value that is the same sample as the last one published for its node (same device
 * time and value, e.g. the initial value of a re-created monitored item) is not published twice.
 * <p>
 * Thread-safety: connecting and re-creating run on the source's own thread; notifications arrive on Milo's threads;
 * polls on the gateway's poller thread. Values are processed under this object's lock.
 */
public final class OpcUaSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(OpcUaSource.class);

    /** {@code type = opcua}. */
    public static final SourceType<OpcUaSettings> TYPE = new SourceType<>("opcua", OpcUaSettings.class,
            OpcUaSectionReader::read,
            (settings, gateway, clock) -> new OpcUaSource(settings, gateway.plantNode(), gateway.clientId(), clock));
    private static final int ITEMS_PER_REQUEST = 1000;

    private final OpcUaSettings settings;
    private final TopicBuilder plant;
    private final String clientId;
    private final Clock clock;
    private final List<NodeSpec> specs;
    private final DeviceTime deviceTime = new DeviceTime();
    private final AtomicLongArray badStatus;
    private final boolean[] reportedBad;
    private final long[] lastTs;
    private final double[] lastValue;
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong badValues = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong recreated = new AtomicLong();
    private final ScheduledExecutorService worker;
    private volatile Consumer<NodeReading> sink = reading -> { };
    private volatile OpcUaClient client;
    private volatile NodeId[] nodeIds;
    private volatile String state = "connecting";
    private volatile String detail = "";
    private volatile boolean closed;
    private boolean everActive;
    private int attempts;

    public OpcUaSource(final OpcUaSettings settings, final TopicBuilder plant, final String clientId,
                       final Clock clock) {
        this.settings = settings;
        this.plant = plant;
        this.clientId = clientId;
        this.clock = clock;
        this.specs = settings.nodes();
        this.badStatus = new AtomicLongArray(specs.size());
        this.reportedBad = new boolean[specs.size()];
        this.lastTs = new long[specs.size()];
        this.lastValue = new double[specs.size()];
        java.util.Arrays.fill(lastTs, ParsedPayload.NO_TS);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "cellwatch-opcua-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void onChange(final Consumer<NodeReading> sink) {
        this.sink = sink;
    }

    @Override
    public void start() {
        log.info("source '{}': {} nodes of {} ({}/{}, {}), {}", name(), specs.size(), settings.endpoint(),
                settings.securityPolicy(), settings.securityMode(),
                settings.username() == null ? "anonymous" : "user " + settings.username(),
                settings.subscribe() ? "monitored items sampled every " + settings.samplingInterval().toMillis()
                        + " ms, published every " + settings.publishingInterval().toMillis() + " ms, deadband "
                        + settings.deadband() : "read every " + settings.pollInterval().toMillis() + " ms");
        worker.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        OpcUaClient made = null;
        try {
            made = newClient();
            made.connect().get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            resolve(made);
            client = made;
            if (settings.subscribe()) {
                subscribe(made);
            }
            attempts = 0;
            state = SourceHealth.OK;
            detail = "";
        } catch (final Exception e) {
            if (made != null) {
                made.disconnect();
            }
            final String why = why(e);
            // State and cause first: whoever sees the error counted sees why.
            state = "connecting";
            detail = why;
            readErrors.incrementAndGet();
            if (attempts++ == 0) {
                log.warn("source '{}': cannot connect to {}: {} (retrying with backoff; logged again when it"
                        + " connects)", name(), settings.endpoint(), why);
            }
            final long delay = Math.min(30_000L, 500L << Math.min(attempts, 6));
            worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    private OpcUaClient newClient() throws Exception {
        final URI uri = URI.create(settings.endpoint());
        final List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(settings.endpoint())
                .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        // Servers often announce a host name the gateway cannot resolve: keep the configured host and port.
        final EndpointDescription endpoint = EndpointUtil.updateUrl(
                EndpointChooser.choose(endpoints, settings.securityPolicy(), settings.securityMode()),
                uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4840);
        final OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("cellwatch gateway " + clientId))
                .setApplicationUri(GatewayCertificate.applicationUri(clientId))
                .setProductUri("urn:cellwatch:gateway")
                .setEndpoint(endpoint);
        if (!settings.securityPolicy().equals("none")) {
            // Only a secured channel needs the certificate; making it (RSA key generation) can take long on a Pi.
            final GatewayCertificate own = GatewayCertificate.loadOrCreate(settings.pkiDir(), clientId);
            final DefaultTrustListManager trust = new DefaultTrustListManager(settings.pkiDir().toFile());
            builder.setKeyPair(own.keyPair()).setCertificate(own.certificate())
                    .setCertificateValidator(new DefaultClientCertificateValidator(trust));
        }
        final OpcUaClientConfig config = builder
                .setIdentityProvider(settings.username() == null ? new AnonymousProvider()
                        : new UsernameProvider(settings.username(),
                        settings.password() == null ? "" : settings.password()))
                .setRequestTimeout(uint(settings.timeout().toMillis()))
                .build();
        final OpcUaClient made = OpcUaClient.create(config);
        made.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(final UaSession session) {
                sessionActive();
            }

            @Override
            public void onSessionInactive(final UaSession session) {
                sessionInactive();
            }
        });
        made.getSubscriptionManager().addSubscriptionListener(new UaSubscriptionManager.SubscriptionListener() {
            @Override
            public void onSubscriptionTransferFailed(final UaSubscription subscription, final StatusCode status) {
                log.info("source '{}': the server could not take the subscription over to the new session ({});"
                        + " creating it again", name(), status);
                worker.execute(() -> recreate(made));
            }
        });
        return made;
    }

    private synchronized void sessionActive() {
        if (everActive) {
            reconnects.incrementAndGet();
            log.info("source '{}': session with {} active again", name(), settings.endpoint());
        }
        everActive = true;
        if (client != null) {
            state = SourceHealth.OK;
            detail = "";
        }
    }

    private void sessionInactive() {
        if (closed || client == null) {
            return;
        }
        state = "reconnecting";
        detail = "session lost";
        log.warn("source '{}': session with {} lost; Milo reconnects and keeps or transfers the subscription",
                name(), settings.endpoint());
    }

    private void recreate(final OpcUaClient owner) {
        if (closed || owner != client) {
            return;
        }
        try {
            resolve(owner);
            subscribe(owner);
            recreated.incrementAndGet();
        } catch (final Exception e) {
            readErrors.incrementAndGet();
            log.warn("source '{}': re-creating the subscription failed: {}; trying again", name(), why(e));
            worker.schedule(() -> recreate(owner), 2, TimeUnit.SECONDS);
        }
    }

    /** Node ids of the map, browse paths translated on the server; a node that cannot be found is counted. */
    private void resolve(final OpcUaClient c) throws Exception {
        final NodeId[] ids = new NodeId[specs.size()];
        final List<Integer> byPath = new ArrayList<>();
        final List<BrowsePath> paths = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            final NodeSpec spec = specs.get(i);
            if (spec.byBrowsePath()) {
                byPath.add(i);
                paths.add(new BrowsePath(Identifiers.ObjectsFolder, new RelativePath(spec.browsePath().stream()
                        .map(name -> new RelativePathElement(Identifiers.HierarchicalReferences, false, true,
                                qualified(name))).toArray(RelativePathElement[]::new))));
            } else {
                ids[i] = NodeId.parse(spec.node());
            }
        }
        if (!paths.isEmpty()) {
            final BrowsePathResult[] results = c.translateBrowsePaths(paths)
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).getResults();
            for (int k = 0; k < byPath.size(); k++) {
                final int i = byPath.get(k);
                final BrowsePathResult result = results[k];
                if (result.getStatusCode().isGood() && result.getTargets() != null
                        && result.getTargets().length > 0) {
                    ids[i] = result.getTargets()[0].getTargetId().toNodeId(c.getNamespaceTable()).orElse(null);
                }
                if (ids[i] == null) {
                    bad(i, result.getStatusCode(), "browse path not found");
                }
            }
        }
        nodeIds = ids;
    }

    private static QualifiedName qualified(final String name) {
        final int colon = name.indexOf(':');
        return colon < 0 ? new QualifiedName(0, name)
                : new QualifiedName(Integer.parseInt(name.substring(0, colon)), name.substring(colon + 1));
    }

    private void subscribe(final OpcUaClient c) throws Exception {
        final long timeout = settings.timeout().toMillis();
        final UaSubscription subscription = c.getSubscriptionManager()
                .createSubscription((double) settings.publishingInterval().toMillis())
                .get(timeout, TimeUnit.MILLISECONDS);
        subscription.addNotificationListener(new UaSubscription.NotificationListener() {
            @Override
            public void onDataChangeNotification(final UaSubscription s, final List<UaMonitoredItem> items,
                                                 final List<DataValue> dataValues, final DateTime publishTime) {
                final int[] indexes = new int[items.size()];
                for (int k = 0; k < indexes.length; k++) {
                    indexes[k] = items.get(k).getClientHandle().intValue();
                }
                deliver(process(indexes, dataValues, clock.millis()));
            }
        });
        final ExtensionObject filter = settings.deadband() > 0
                ? ExtensionObject.encode(c.getStaticSerializationContext(), new DataChangeFilter(
                DataChangeTrigger.StatusValue, uint(DeadbandType.Absolute.getValue()), settings.deadband()))
                : null;
        // Queue what is sampled between two publishes, so a fast-changing value loses no sample.
        final long queue = Math.max(1, settings.publishingInterval().toMillis()
                / Math.max(1, settings.samplingInterval().toMillis())) + 1;
        final NodeId[] ids = nodeIds;
        final List<MonitoredItemCreateRequest> requests = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) {
                continue;
            }
            requests.add(new MonitoredItemCreateRequest(
                    new ReadValueId(ids[i], AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                    MonitoringMode.Reporting,
                    new MonitoringParameters(uint(i), (double) settings.samplingInterval().toMillis(), filter,
                            uint(Math.min(queue, 1000)), true)));
        }
        for (int from = 0; from < requests.size(); from += ITEMS_PER_REQUEST) {
            final List<UaMonitoredItem> created = subscription.createMonitoredItems(TimestampsToReturn.Both,
                            requests.subList(from, Math.min(requests.size(), from + ITEMS_PER_REQUEST)))
                    .get(timeout, TimeUnit.MILLISECONDS);
            for (final UaMonitoredItem item : created) {
                if (item.getStatusCode().isBad()) {
                    bad(item.getClientHandle().intValue(), item.getStatusCode(), "monitored item refused");
                }
            }
        }
    }

    private void deliver(final List<NodeReading> readings) {
        for (final NodeReading reading : readings) {
            try {
                sink.accept(reading);
            } catch (final RuntimeException e) {
                log.error("source '{}': buffering a value failed", name(), e);
            }
        }
    }

    @Override
    public List<NodeReading> poll(final long now) {
        if (settings.subscribe()) {
            return List.of();
        }
        final OpcUaClient c = client;
        final NodeId[] ids = nodeIds;
        if (c == null || ids == null || !SourceHealth.OK.equals(state)) {
            return List.of();
        }
        final List<NodeId> read = new ArrayList<>();
        final List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != null) {
                read.add(ids[i]);
                indexes.add(i);
            }
        }
        try {
            final List<DataValue> dataValues = c.readValues(0.0, TimestampsToReturn.Both, read)
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return process(indexes.stream().mapToInt(Integer::intValue).toArray(), dataValues, now);
        } catch (final Exception e) {
            readErrors.incrementAndGet();
            log.debug("source '{}': read failed: {}", name(), why(e));
            return List.of();
        }
    }

    /** Values of the nodes at {@code indexes}, grouped into node readings; bad ones counted, repeats dropped. */
    synchronized List<NodeReading> process(final int[] indexes, final List<DataValue> dataValues, final long now) {
        final TimedNodeCollector nodes = new TimedNodeCollector(plant);
        for (int k = 0; k < indexes.length; k++) {
            final int i = indexes[k];
            if (i < 0 || i >= specs.size()) {
                continue;
            }
            final DataValue value = dataValues.get(k);
            if (!value.getStatusCode().isGood()) {
                bad(i, value.getStatusCode(), "value not good");
                continue;
            }
            final Double raw = number(value.getValue().getValue());
            final NodeSpec spec = specs.get(i);
            if (raw == null || !Double.isFinite(raw)) {
                badValues.incrementAndGet();
                continue;
            }
            final double scaled = raw * spec.scale() + spec.offset();
            final long device = time(value.getSourceTime(), time(value.getServerTime(), ParsedPayload.NO_TS));
            final long ts = deviceTime.decide(device, now);
            if (ts == device && lastTs[i] == ts && Double.compare(lastValue[i], scaled) == 0) {
                continue;
            }
            lastTs[i] = ts;
            lastValue[i] = scaled;
            reportedBad[i] = false;
            values.incrementAndGet();
            nodes.add(spec.path(), spec.metric(), scaled, ts);
        }
        return nodes.readings();
    }

    private void bad(final int i, final StatusCode status, final String what) {
        badStatus.incrementAndGet(i);
        synchronized (this) {
            if (!reportedBad[i]) {
                reportedBad[i] = true;
                final NodeSpec spec = specs.get(i);
                log.warn("source '{}': node {} (node map line {}): {}: {} (counted; logged again after a good value)",
                        name(), spec.node(), spec.line(), what, status);
            }
        }
    }

    private static long time(final DateTime time, final long fallback) {
        return time == null || time.isNull() || time.getUtcTime() <= 0 ? fallback : time.getJavaTime();
    }

    /** A number, or a boolean as 1/0; null for anything else (text, arrays, structures). */
    static Double number(final Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    private String why(final Exception e) {
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        final Path rejected = settings.pkiDir().resolve("rejected");
        if (!settings.securityPolicy().equals("none") && text.contains("Bad_SecurityChecksFailed")
                || text.contains("CertificateUntrusted")) {
            text += "; if the server's certificate is in " + rejected + ", move it to "
                    + settings.pkiDir().resolve("trusted").resolve("certs") + " to trust it, and give the server "
                    + settings.pkiDir().resolve("own").resolve("gateway.der") + " to trust";
        }
        return text;
    }

    /** Values with a Bad or Uncertain status, per node of the map (by node as written), in map order. */
    public Map<String, Long> badStatusByNode() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            out.merge(specs.get(i).node(), badStatus.get(i), Long::sum);
        }
        return out;
    }

    @Override
    public List<SourceCounter> counters() {
        final Map<List<String>, Long> byNode = new LinkedHashMap<>();
        badStatusByNode().forEach((node, count) -> byNode.put(List.of(node), count));
        return List.of(new SourceCounter("cellwatch_gateway_opcua_bad_status",
                "OPC-UA values with a status other than Good, per node; never published", List.of("node"), byNode));
    }

    @Override
    public long readErrors() {
        return readErrors.get();
    }

    @Override
    public SourceHealth health() {
        long bad = 0;
        for (int i = 0; i < badStatus.length(); i++) {
            bad += badStatus.get(i);
        }
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("values", values.get());
        counters.put("bad-status", bad);
        counters.put("bad-values", badValues.get());
        counters.put("ts-replaced", deviceTime.replaced());
        counters.put("read-errors", readErrors.get());
        counters.put("reconnects", reconnects.get());
        counters.put("subscriptions-recreated", recreated.get());
        return new SourceHealth(state, detail, counters);
    }

    /** Stops connecting and closes the session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.shutdownNow();
        final OpcUaClient c = client;
        if (c != null) {
            try {
                c.disconnect().get(5, TimeUnit.SECONDS);
            } catch (final Exception e) {
                log.debug("source '{}': disconnect: {}", name(), e.toString());
            }
        }
    }

    /** True once a session is up and the map is resolved (and subscribed, in subscribe mode). */
    public boolean connected() {
        return SourceHealth.OK.equals(state);
    }

    /** The folder of the gateway's certificate and trust list. */
    public Path pkiDir() {
        return settings.pkiDir();
    }
}
