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
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * Connecting is retried on the gateway's own backoff (at once after a lost session, then 0.5 s doubling to 30 s)
 * until it works; every failed attempt is counted ({@code connect-failures}) and the state names the cause, but only
 * the first failure of each kind is logged. Milo's client is never left to reconnect on its own (its backoff grows
 * to 16 s): a lost session is closed and a new one made, with the subscription created again. A value whose status
 * is not Good is counted and never published; a value that is the same sample as the last one published for its
 * node (same device time and value, e.g. the initial value of a re-created monitored item) is not published twice.
 * <p>
 * Thread-safety: connecting runs on the source's own thread; notifications arrive on Milo's threads; polls on the
 * gateway's poller thread. Values are processed under this object's lock.
 */
public final class OpcUaSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(OpcUaSource.class);

    /** {@code type = opcua}. */
    public static final SourceType<OpcUaSettings> TYPE = new SourceType<>("opcua", OpcUaSettings.class,
            OpcUaSectionReader::read,
            (settings, gateway, clock) -> new OpcUaSource(settings, gateway.plantNode(), gateway.clientId(), clock));
    private static final int ITEMS_PER_REQUEST = 1000;
    /** Nodes with a bad status named in the health detail; the rest are counted. */
    private static final int NAMED_BAD_NODES = 20;
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;

    private final OpcUaSettings settings;
    private final TopicBuilder plant;
    private final Clock clock;
    private final List<NodeSpec> specs;
    private final OpcUaConnector connector;
    private final DeviceTime deviceTime = new DeviceTime();
    private final AtomicLongArray badStatus;
    private final StatusCode[] lastBad;
    private final boolean[] reportedBad;
    private final long[] lastTs;
    private final double[] lastValue;
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong badValues = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong recreated = new AtomicLong();
    private final ScheduledExecutorService worker;
    private volatile Consumer<NodeReading> sink = reading -> { };
    private volatile OpcUaClient client;
    private volatile NodeId[] nodeIds;
    private volatile String state = "connecting";
    private volatile String detail = "";
    private volatile boolean closed;
    // Worker thread only: a session was lost and not yet made again; failed attempts in a row; the kind last logged.
    private boolean lost;
    private int failures;
    private String loggedKind;

    public OpcUaSource(final OpcUaSettings settings, final TopicBuilder plant, final String clientId,
                       final Clock clock) {
        this.settings = settings;
        this.plant = plant;
        this.clock = clock;
        this.specs = settings.nodes();
        this.connector = new OpcUaConnector(settings, clientId);
        this.badStatus = new AtomicLongArray(specs.size());
        this.lastBad = new StatusCode[specs.size()];
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
            made = connector.open(this::sessionLost);
            resolve(made);
            if (settings.subscribe()) {
                subscribe(made);
            }
            client = made;
            if (closed) {
                // close() ran while this attempt connected: it could not see this client.
                made.disconnect();
                return;
            }
        } catch (final ConnectProblem.Failure e) {
            failed(e.problem());
            return;
        } catch (final Exception e) {
            if (made != null) {
                made.disconnect();
            }
            failed(new ConnectProblem("failed", "connected to " + settings.endpoint()
                    + ", but reading the node map failed: " + OpcUaConnector.describe(e)));
            return;
        }
        if (lost) {
            reconnects.incrementAndGet();
            if (settings.subscribe()) {
                recreated.incrementAndGet();
            }
        }
        log.info("source '{}': connected to {} ({}/{}){}", name(), settings.endpoint(), settings.securityPolicy(),
                settings.securityMode(), failures == 0 ? "" : " after " + failures + " failed attempts");
        lost = false;
        failures = 0;
        loggedKind = null;
        state = SourceHealth.OK;
        detail = "";
    }

    /** A failed attempt: counted, its cause in the state, logged if it is a new kind of failure; retried later. */
    private void failed(final ConnectProblem problem) {
        connectFailures.incrementAndGet();
        failures++;
        state = lost ? "reconnecting" : "connecting";
        detail = (lost ? "session lost; " : "") + problem.message();
        final long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failures - 1, 6));
        if (!problem.kind().equals(loggedKind)) {
            loggedKind = problem.kind();
            log.warn("source '{}': {} (retrying after {} ms, up to every {} s; failures like this one are counted in"
                    + " connect-failures, not logged again; logged when connected)", name(), problem.message(),
                    delay, MAX_RETRY_MS / 1000);
        }
        if (!closed) {
            worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Milo's session ended (connection lost, keep-alive failed): close that client and make a new session. */
    private void sessionLost(final OpcUaClient owner) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> {
                if (closed || owner != client) {
                    return;
                }
                client = null;
                lost = true;
                state = "reconnecting";
                detail = "session lost";
                log.warn("source '{}': session with {} lost; connecting again (at once, then 0.5 s doubling to"
                        + " 30 s)", name(), settings.endpoint());
                // Stops Milo's own reconnecting, which would compete with ours on its slower backoff.
                owner.disconnect();
                connect();
            });
        } catch (final RejectedExecutionException closing) {
            // Closed meanwhile: nothing to reconnect.
        }
    }

    /** Node ids of the map, browse paths translated on the server; a path that cannot be found is counted. */
    private void resolve(final OpcUaClient c) throws Exception {
        final NodeResolver.Resolved resolved = NodeResolver.resolve(c, specs, settings.timeout());
        resolved.unresolved().forEach((i, status) -> bad(i, status, "browse path not found"));
        nodeIds = resolved.ids();
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
            log.debug("source '{}': read failed: {}", name(), OpcUaConnector.describe(e));
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
            lastBad[i] = status;
            if (!reportedBad[i]) {
                reportedBad[i] = true;
                final NodeSpec spec = specs.get(i);
                log.warn("source '{}': node {} (node map line {}): {}: {} (counted; logged again after a good value)",
                        name(), spec.node(), spec.line(), what, OpcUaConnector.name(status));
            }
        }
    }

    private static long time(final DateTime time, final long fallback) {
        return time == null || time.isNull() || time.getUtcTime() <= 0 ? fallback : time.getJavaTime();
    }

    /** A number (a Float as its shortest decimal), or a boolean as 1/0; null for anything else (text, arrays, structures). */
    static Double number(final Object value) {
        if (value instanceof Float f) {
            // The shortest decimal that reads back as this float (-25.9), not the float widened (-25.899999618…).
            return Double.parseDouble(Float.toString(f));
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    /** Values with a Bad or Uncertain status, per node of the map (by node as written), in map order. */
    public Map<String, Long> badStatusByNode() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            out.merge(specs.get(i).node(), badStatus.get(i), Long::sum);
        }
        return out;
    }

    /**
     * One series per source: a map of hundreds of nodes would otherwise make as many series; the nodes are named in
     * the health detail ({@code status}).
     */
    @Override
    public List<SourceCounter> counters() {
        return List.of(SourceCounter.single("cellwatch_gateway_opcua_bad_status",
                "OPC-UA values with a status other than Good, never published (per node: the status command)",
                totalBad()));
    }

    private long totalBad() {
        long bad = 0;
        for (int i = 0; i < badStatus.length(); i++) {
            bad += badStatus.get(i);
        }
        return bad;
    }

    /** {@code NODE (line N) STATUS (COUNT)} for each node with a bad status, in map order, the first few named. */
    private synchronized String badNodes() {
        final List<String> named = new ArrayList<>();
        int more = 0;
        for (int i = 0; i < specs.size(); i++) {
            final long count = badStatus.get(i);
            if (count == 0) {
                continue;
            }
            if (named.size() < NAMED_BAD_NODES) {
                final NodeSpec spec = specs.get(i);
                named.add(spec.node() + " (line " + spec.line() + ") "
                        + (lastBad[i] == null ? "bad" : OpcUaConnector.name(lastBad[i])) + " (" + count + ")");
            } else {
                more++;
            }
        }
        return named.isEmpty() ? "" : "bad status: " + String.join(", ", named)
                + (more == 0 ? "" : " and " + more + " more nodes");
    }

    @Override
    public long readErrors() {
        return readErrors.get();
    }

    @Override
    public SourceHealth health() {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("values", values.get());
        counters.put("bad-status", totalBad());
        counters.put("bad-values", badValues.get());
        counters.put("ts-replaced", deviceTime.replaced());
        counters.put("read-errors", readErrors.get());
        counters.put("connect-failures", connectFailures.get());
        counters.put("reconnects", reconnects.get());
        counters.put("subscriptions-recreated", recreated.get());
        final String cause = detail;
        final String bad = badNodes();
        return new SourceHealth(state, cause.isEmpty() || bad.isEmpty() ? cause + bad : cause + "; " + bad,
                counters);
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
