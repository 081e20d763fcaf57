package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.cellwatch.contract.TopicBuilder;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.cellwatch.edge.source.NodeCollector;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceCounter;
import io.cellwatch.edge.source.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Modbus device (TCP, or RTU on a serial line) read by its register map in batched requests. A failed request
 * (after the configured retries) is counted and logged once when the device goes from healthy to failing and once
 * when it recovers, never per poll; the poll returns the values it could read. Called from one poller thread.
 */
public final class ModbusSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(ModbusSource.class);

    /** {@code type = modbus-tcp}. */
    public static final SourceType<ModbusTcpSettings> TCP = new SourceType<>("modbus-tcp", ModbusTcpSettings.class,
            ModbusSectionReader::tcp, (settings, gateway, clock) -> tcp(settings, gateway.plantNode()));
    /** {@code type = modbus-rtu}. */
    public static final SourceType<ModbusRtuSettings> RTU = new SourceType<>("modbus-rtu", ModbusRtuSettings.class,
            ModbusSectionReader::rtu, (settings, gateway, clock) -> rtu(settings, gateway.plantNode()));

    private final String name;
    private final String endpoint;
    private final TopicBuilder plant;
    private final List<ReadBatch> batches;
    private final AbstractModbusMaster master;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong badValues = new AtomicLong();
    private boolean failing;

    private ModbusSource(final String name, final String endpoint, final AbstractModbusMaster master,
                         final List<RegisterSpec> registers, final int maxGap, final int retries,
                         final TopicBuilder plant) {
        this.name = name;
        this.endpoint = endpoint;
        this.plant = plant;
        this.batches = ReadPlanner.plan(registers, maxGap);
        this.master = master;
        master.setRetries(retries);
        log.info("source '{}': {} registers of {} in {} requests per poll", name, registers.size(), endpoint,
                batches.size());
    }

    /** A Modbus TCP device; the connection is opened on the first poll and reopened after a failed one. */
    public static ModbusSource tcp(final ModbusTcpSettings settings, final TopicBuilder plant) {
        return new ModbusSource(settings.name(), "modbus-tcp://" + settings.host() + ":" + settings.port(),
                new ModbusTCPMaster(settings.host(), settings.port(), (int) settings.timeout().toMillis(), true),
                settings.registers(), settings.maxGap(), settings.retries(), plant);
    }

    /** Modbus RTU devices on one serial line (their unit ids come from the register map). */
    public static ModbusSource rtu(final ModbusRtuSettings settings, final TopicBuilder plant) {
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
                settings.registers(), settings.maxGap(), settings.retries(), plant);
    }

    @Override
    public String name() {
        return name;
    }

    /** The requests one poll sends. */
    public List<ReadBatch> batches() {
        return batches;
    }

    /** Requests sent since start. */
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
    public String healthLine() {
        return "read-errors=" + readErrors() + " requests=" + requests() + " bad-values=" + badValues();
    }

    @Override
    public List<SourceCounter> counters() {
        return List.of(SourceCounter.single("cellwatch_gateway_modbus_requests", "Modbus requests sent", requests()));
    }

    @Override
    public List<NodeReading> poll(final long now) {
        final NodeCollector nodes = new NodeCollector(plant);
        Exception failure = null;
        for (final ReadBatch batch : batches) {
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
            } catch (final Exception e) {
                failure = e;
            }
        }
        stateChange(failure);
        return nodes.readings(now);
    }

    private int[] read(final ReadBatch batch) throws Exception {
        if (!master.isConnected()) {
            master.connect();
        }
        requests.incrementAndGet();
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

    private void stateChange(final Exception failure) {
        if (failure != null) {
            readErrors.incrementAndGet();
            if (!failing) {
                failing = true;
                log.warn("source '{}': reading {} fails: {} (logged again when it recovers; "
                        + "every failed poll is counted)", name, endpoint, failure.toString());
            }
            if (master.isConnected()) {
                master.disconnect();
            }
        } else if (failing) {
            failing = false;
            log.info("source '{}': {} reads again after {} failed polls", name, endpoint, readErrors.get());
        }
    }

    @Override
    public void close() {
        master.disconnect();
    }
}
