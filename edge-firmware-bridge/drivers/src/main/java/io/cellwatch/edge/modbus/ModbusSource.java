package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.NodeCollector;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceCounter;
import io.cellwatch.edge.source.SourceHealth;
import io.cellwatch.edge.source.SourceProblem;
import io.cellwatch.edge.source.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Modbus device (TCP, or RTU on a serial line) read by its register map in batched requests over one connection
 * kept open ({@link ModbusConnection}). A request that fails (an exception answer, a timeout, an I/O error) is sent
 * again up to {@code retries} times; one that still fails is named (unit, function, range, map lines) in the log
 * when it starts failing, when its error changes and when it recovers, and in {@link #health()} with the series it
 * keeps away while it fails: the source is then {@code degraded} (some requests fail) or {@code failing} (all do).
 * The poll returns the values it could read. A source without a register map finds its registers on the device
 * ({@link RegisterDiscovery}, SunSpec) at the first poll that reaches it, and is {@code failing} with the reason until
 * then. Called from one poller thread.
 */
public final class ModbusSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(ModbusSource.class);

    /** {@code type = modbus-tcp}. */
    public static final SourceType<ModbusTcpSettings> TCP = new SourceType<>("modbus-tcp", ModbusTcpSettings.class,
            ModbusSectionReader::tcp, (settings, gateway, clock) -> tcp(settings, gateway.plantNode(), clock));
    /** {@code type = modbus-rtu}. */
    public static final SourceType<ModbusRtuSettings> RTU = new SourceType<>("modbus-rtu", ModbusRtuSettings.class,
            ModbusSectionReader::rtu, (settings, gateway, clock) -> rtu(settings, gateway.plantNode(), clock));

    private final String name;
    private final String endpoint;
    private final TopicBuilder plant;
    private final RegisterDiscovery discovery;
    private final int maxGap;
    private final ModbusConnection connection;
    private final int retries;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong badValues = new AtomicLong();
    private volatile Plan plan;
    private volatile String device = "";
    private volatile List<String> report = List.of();
    private String discoveryError = "";
    private volatile Outcome outcome = new Outcome(SourceHealth.OK, "", List.of());

    /** The requests of a poll and how each is doing; set once (at construction, or when discovery succeeds). */
    private record Plan(List<ReadBatch> batches, BatchState[] states) {

        static Plan of(final List<RegisterSpec> registers, final int maxGap) {
            final List<ReadBatch> batches = ReadPlanner.plan(registers, maxGap);
            final BatchState[] states = new BatchState[batches.size()];
            for (int i = 0; i < states.length; i++) {
                states[i] = new BatchState();
            }
            return new Plan(batches, states);
        }
    }

    /** The last poll's verdict, for health() on other threads. */
    private record Outcome(String state, String detail, List<SourceProblem> problems) {
    }

    /** How one request of the poll is doing; touched by the poller thread only (totals are read elsewhere). */
    private static final class BatchState {
        long failuresInARow;
        String error = "";
        final AtomicLong failures = new AtomicLong();
    }

    /** @param registers the register map, or null when {@code discovery} finds the registers */
    private ModbusSource(final String name, final String endpoint, final AbstractModbusMaster master,
                         final List<RegisterSpec> registers, final RegisterDiscovery discovery, final int maxGap,
                         final int retries, final TopicBuilder plant, final Clock clock) {
        this.name = name;
        this.endpoint = endpoint;
        this.plant = plant;
        this.discovery = discovery;
        this.maxGap = maxGap;
        this.connection = new ModbusConnection(name, endpoint, master, master instanceof ModbusTCPMaster, clock);
        this.retries = retries;
        if (registers != null) {
            plan = Plan.of(registers, maxGap);
            log.info("source '{}': {} registers of {} in {} requests per poll", name, registers.size(), endpoint,
                    plan.batches().size());
        }
    }

    /** A Modbus TCP device over one TCP connection, opened on the first poll and reopened after an I/O error. */
    public static ModbusSource tcp(final ModbusTcpSettings settings, final TopicBuilder plant, final Clock clock) {
        final ModbusTcpLink link = settings.link();
        return new ModbusSource(settings.name(), link.endpoint(), link.master(), settings.registers(), null,
                settings.maxGap(), link.retries(), plant, clock);
    }

    /**
     * A Modbus TCP device that describes itself: {@code discovery} finds its registers over the source's one
     * connection at the first poll that reaches the device; {@code maxGap} as for a register map.
     */
    public static ModbusSource discovering(final String name, final ModbusTcpLink link, final int maxGap,
                                           final RegisterDiscovery discovery, final TopicBuilder plant,
                                           final Clock clock) {
        return new ModbusSource(name, link.endpoint(), link.master(), null, discovery, maxGap, link.retries(),
                plant, clock);
    }

    /** Modbus RTU devices on one serial line (their unit ids come from the register map). */
    public static ModbusSource rtu(final ModbusRtuSettings settings, final TopicBuilder plant, final Clock clock) {
        final SerialParameters serial = new SerialParameters();
        serial.setPortName(settings.port());
        serial.setBaudRate(settings.baud());
        serial.setDatabits(settings.dataBits());
        serial.setStopbits(settings.stopBits());
        serial.setParity(settings.parity());
        serial.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        return new ModbusSource(settings.name(), "modbus-rtu:" + settings.port() + "@" + settings.baud() + "/"
                + settings.dataBits() + Character.toUpperCase(settings.parity().charAt(0)) + settings.stopBits(),
                new ModbusSerialMaster(serial, (int) settings.timeout().toMillis()),
                settings.registers(), null, settings.maxGap(), settings.retries(), plant, clock);
    }

    @Override
    public String name() {
        return name;
    }

    /** Where the device is, e.g. {@code modbus-tcp://10.0.0.5:502}. */
    public String endpoint() {
        return endpoint;
    }

    /** The requests one poll sends; none while a discovering source has not found its registers. */
    public List<ReadBatch> batches() {
        final Plan current = plan;
        return current == null ? List.of() : current.batches();
    }

    /**
     * The requests one poll sends, found on the device first if this source discovers them and has not yet; throws
     * what keeps discovery from finding them (the device is unreachable, describes itself wrongly). Poller thread.
     */
    public List<ReadBatch> discover() throws Exception {
        if (plan == null) {
            final RegisterDiscovery.Discovered found = discovery.discover((unit, function, start, count) ->
                    read(new ReadBatch(unit, function, start, count, List.of())));
            device = found.device();
            report = found.report();
            plan = Plan.of(found.registers(), maxGap);
            log.info("source '{}': {} at {}: {} registers in {} requests per poll", name, device, endpoint,
                    found.registers().size(), plan.batches().size());
        }
        return plan.batches();
    }

    /** What discovery found, for {@code check --probe}; empty for a register map or before discovery. */
    public List<String> discoveryReport() {
        return report;
    }

    /** Requests sent since start, retries included. */
    public long requests() {
        return requests.get();
    }

    @Override
    public long readErrors() {
        return readErrors.get();
    }

    /** Values left out because they decoded to NaN or infinity. */
    public long badValues() {
        return badValues.get();
    }

    @Override
    public SourceHealth health() {
        final Outcome last = outcome;
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("read-errors", readErrors());
        counters.put("requests", requests());
        counters.put("retries", retried.get());
        counters.put("connects", connection.opens());
        counters.put("bad-values", badValues());
        return new SourceHealth(last.state(), last.detail().isEmpty() ? device : last.detail(), counters,
                last.problems());
    }

    @Override
    public List<SourceCounter> counters() {
        final Map<List<String>, Long> errors = new HashMap<>();
        final Plan current = plan;
        for (int i = 0; current != null && i < current.batches().size(); i++) {
            final long failures = current.states()[i].failures.get();
            if (failures > 0) {
                errors.put(List.of(current.batches().get(i).describe()), failures);
            }
        }
        return List.of(SourceCounter.single("cellwatch_gateway_modbus_requests", "Modbus requests sent", requests()),
                new SourceCounter("cellwatch_gateway_modbus_request_errors",
                        "Polls in which a request failed after its retries, per request", List.of("request"),
                        errors));
    }

    @Override
    public List<NodeReading> poll(final long now) {
        final List<ReadBatch> batches;
        try {
            batches = discover();
        } catch (final Exception e) {
            undiscovered(e);
            return List.of();
        }
        final BatchState[] states = plan.states();
        final NodeCollector nodes = new NodeCollector(plant);
        final List<SourceProblem> problems = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            final ReadBatch batch = batches.get(i);
            try {
                final int[] words = read(batch);
                for (final RegisterSpec spec : batch.specs()) {
                    final double value = RegisterDecoder.decode(spec, words, spec.address() - batch.start());
                    if (Double.isFinite(value)) {
                        nodes.add(spec.path(), spec.metric(), value);
                    } else {
                        badValues.incrementAndGet();
                    }
                }
                recovered(batch, states[i]);
            } catch (final Exception e) {
                problems.add(failed(batch, states[i], ModbusErrors.describe(e)));
            }
        }
        if (problems.isEmpty()) {
            outcome = new Outcome(SourceHealth.OK, "", List.of());
        } else {
            readErrors.incrementAndGet();
            outcome = problems.size() == batches.size()
                    ? new Outcome(SourceHealth.FAILING, problems.get(0).error(), problems)
                    : new Outcome(SourceHealth.DEGRADED, problems.size() + " of " + batches.size()
                    + " requests failing", problems);
        }
        return nodes.readings(now);
    }

    /**
     * Discovery failed: the source is {@code failing} with the reason, logged when it changes (an unreachable device
     * is logged by the connection) and tried again at the next poll.
     */
    private void undiscovered(final Exception e) {
        readErrors.incrementAndGet();
        final String error = ModbusErrors.describe(e);
        if (!(e instanceof ModbusUnreachableException) && !error.equals(discoveryError)) {
            log.warn("source '{}': cannot find the registers of {}: {} (tried again every poll)", name, endpoint,
                    error);
            discoveryError = error;
        }
        outcome = new Outcome(SourceHealth.FAILING, error, List.of());
    }

    /**
     * The words of {@code batch}, sent again after an exception answer or an I/O error up to {@code retries} times.
     * An I/O error (a timeout too) drops the connection first: a late answer would be read as the next one's.
     * Poller thread (or {@code check --probe}).
     */
    public int[] read(final ReadBatch batch) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                retried.incrementAndGet();
            }
            final AbstractModbusMaster master = connection.open();
            requests.incrementAndGet();
            try {
                final int[] words = send(master, batch);
                connection.answered();
                return words;
            } catch (final ModbusSlaveException answer) {
                connection.answered();
                last = answer;
            } catch (final Exception io) {
                last = io;
                connection.lost(io);
            }
        }
        throw last;
    }

    private static int[] send(final AbstractModbusMaster master, final ReadBatch batch) throws Exception {
        final int[] words = new int[batch.count()];
        switch (batch.function()) {
            case HOLDING -> fill(words, master.readMultipleRegisters(batch.unit(), batch.start(), batch.count()));
            case INPUT -> fill(words, master.readInputRegisters(batch.unit(), batch.start(), batch.count()));
            case COIL -> fill(words, master.readCoils(batch.unit(), batch.start(), batch.count()));
            case DISCRETE -> fill(words, master.readInputDiscretes(batch.unit(), batch.start(), batch.count()));
        }
        return words;
    }

    private static void fill(final int[] words, final InputRegister[] registers) {
        if (registers.length < words.length) {
            throw new IllegalStateException("device answered " + registers.length + " of " + words.length + " registers");
        }
        for (int i = 0; i < words.length; i++) {
            words[i] = registers[i].toUnsignedShort();
        }
    }

    private static void fill(final int[] words, final BitVector bits) {
        for (int i = 0; i < words.length; i++) {
            words[i] = bits.getBit(i) ? 1 : 0;
        }
    }

    private SourceProblem failed(final ReadBatch batch, final BatchState state, final String error) {
        state.failures.incrementAndGet();
        state.failuresInARow++;
        final List<String> missing = batch.specs().stream().map(RegisterSpec::series).toList();
        if (state.failuresInARow == 1) {
            log.warn("source '{}': {} of {} fails after {} attempts: {}; {} series missing ({}…). Logged again when"
                            + " the error changes or the request recovers; `check --probe` names the map lines",
                    name, batch.describe(), endpoint, retries + 1, error, missing.size(), missing.get(0));
        } else if (!error.equals(state.error)) {
            log.warn("source '{}': {} now fails with: {} (before: {})", name, batch.describe(), error, state.error);
        }
        state.error = error;
        return new SourceProblem(batch.describe(), error, state.failuresInARow, missing);
    }

    private void recovered(final ReadBatch batch, final BatchState state) {
        if (state.failuresInARow > 0) {
            log.info("source '{}': {} reads again after {} failed polls (last error: {})", name, batch.describe(),
                    state.failuresInARow, state.error);
            state.failuresInARow = 0;
            state.error = "";
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
