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
 * The poll returns the values it could read. Called from one poller thread.
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
    private final List<ReadBatch> batches;
    private final ModbusConnection connection;
    private final int retries;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong badValues = new AtomicLong();
    private final BatchState[] states;
    private volatile Outcome outcome = new Outcome(SourceHealth.OK, "", List.of());

    /** The last poll's verdict, for health() on other threads. */
    private record Outcome(String state, String detail, List<SourceProblem> problems) {
    }

    /** How one request of the poll is doing; touched by the poller thread only (totals are read elsewhere). */
    private static final class BatchState {
        long failuresInARow;
        String error = "";
        final AtomicLong failures = new AtomicLong();
    }

    private ModbusSource(final String name, final String endpoint, final AbstractModbusMaster master,
                         final List<RegisterSpec> registers, final int maxGap, final int retries,
                         final TopicBuilder plant, final Clock clock) {
        this.name = name;
        this.endpoint = endpoint;
        this.plant = plant;
        this.batches = ReadPlanner.plan(registers, maxGap);
        this.connection = new ModbusConnection(name, endpoint, master, master instanceof ModbusTCPMaster, clock);
        this.retries = retries;
        this.states = new BatchState[batches.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new BatchState();
        }
        log.info("source '{}': {} registers of {} in {} requests per poll", name, registers.size(), endpoint,
                batches.size());
    }

    /** A Modbus TCP device over one TCP connection, opened on the first poll and reopened after an I/O error. */
    public static ModbusSource tcp(final ModbusTcpSettings settings, final TopicBuilder plant, final Clock clock) {
        // reconnect=false: j2mod would otherwise open and close a TCP connection for every request.
        return new ModbusSource(settings.name(), "modbus-tcp://" + settings.host() + ":" + settings.port(),
                new ModbusTCPMaster(settings.host(), settings.port(), (int) settings.timeout().toMillis(), false),
                settings.registers(), settings.maxGap(), settings.retries(), plant, clock);
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
                settings.registers(), settings.maxGap(), settings.retries(), plant, clock);
    }

    @Override
    public String name() {
        return name;
    }

    /** Where the device is, e.g. {@code modbus-tcp://10.0.0.5:502}. */
    public String endpoint() {
        return endpoint;
    }

    /** The requests one poll sends. */
    public List<ReadBatch> batches() {
        return batches;
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
        return new SourceHealth(last.state(), last.detail(), counters, last.problems());
    }

    @Override
    public List<SourceCounter> counters() {
        final Map<List<String>, Long> errors = new HashMap<>();
        for (int i = 0; i < batches.size(); i++) {
            final long failures = states[i].failures.get();
            if (failures > 0) {
                errors.put(List.of(batches.get(i).describe()), failures);
            }
        }
        return List.of(SourceCounter.single("cellwatch_gateway_modbus_requests", "Modbus requests sent", requests()),
                new SourceCounter("cellwatch_gateway_modbus_request_errors",
                        "Polls in which a request failed after its retries, per request", List.of("request"),
                        errors));
    }

    @Override
    public List<NodeReading> poll(final long now) {
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
     * The words of {@code batch}, sent again after an exception answer or an I/O error up to {@code retries} times.
     * An I/O error (a timeout too) drops the connection first: a late answer would be read as the next one's.
     */
    int[] read(final ReadBatch batch) throws Exception {
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
