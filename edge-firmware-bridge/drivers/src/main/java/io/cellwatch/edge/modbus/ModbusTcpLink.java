package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import io.cellwatch.edge.config.SectionReader;

import java.time.Duration;

/**
 * How the gateway talks to one Modbus TCP device: its address, the unit id a discovering source asks, the per-request
 * timeout and the retries of a failed request. Shared by {@code modbus-tcp} and the Modbus-family drivers (SunSpec).
 *
 * @param unit    Modbus unit id of the device (a register map names its own units per line)
 * @param timeout per request
 * @param retries extra attempts of a failed request before the poll counts a read error
 */
public record ModbusTcpLink(String host, int port, int unit, Duration timeout, int retries) {

    /** Reads {@code host}, {@code port} (502), {@code timeout} (1s) and {@code retries} (1); {@code unit} when asked. */
    public static ModbusTcpLink read(final SectionReader reader, final boolean withUnit) {
        final String host = reader.required("host");
        final int port = reader.integer("port", 502, 1, 65_535);
        final int unit = withUnit ? reader.integer("unit", 1, 0, 255) : 1;
        final Duration timeout = reader.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10));
        final int retries = reader.integer("retries", 1, 0, 10);
        return new ModbusTcpLink(host, port, unit, timeout, retries);
    }

    /** {@code modbus-tcp://10.0.0.5:502}. */
    public String endpoint() {
        return "modbus-tcp://" + host + ":" + port;
    }

    /** A j2mod master for one TCP connection kept open (j2mod's reconnect would open one per request). */
    ModbusTCPMaster master() {
        return new ModbusTCPMaster(host, port, (int) timeout.toMillis(), false);
    }
}
