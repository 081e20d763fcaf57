package io.cellwatch.edge.sunspec;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.source.SourceType;

import java.time.Clock;

/**
 * {@code type = sunspec}: a battery system that describes itself in SunSpec models, read over Modbus TCP without a
 * register map. It is a {@link ModbusSource} (one connection, retries, health, batching) whose registers come from
 * discovery ({@link SunspecChain}, {@link SunspecMapping}) at the first poll that reaches the device.
 */
public final class SunspecSource {

    /**
     * Unused registers one request may span: a SunSpec map is one contiguous block, every register of it readable,
     * so a poll reads it in as few requests as the protocol allows.
     */
    static final int MAX_GAP = 100;

    /** {@code type = sunspec}. */
    public static final SourceType<SunspecSettings> TYPE = new SourceType<>("sunspec", SunspecSettings.class,
            SunspecSectionReader::read, (settings, gateway, clock) -> open(settings, gateway.plantNode(), clock));

    private SunspecSource() {
    }

    /** The source; it finds the device's models at its first poll (or {@link ModbusSource#discover()}). */
    public static ModbusSource open(final SunspecSettings settings, final TopicBuilder plant, final Clock clock) {
        final SunspecMapping mapping = new SunspecMapping();
        final int unit = settings.link().unit();
        return ModbusSource.discovering(settings.name(), settings.link(), MAX_GAP,
                device -> mapping.map(SunspecChain.walk(device, unit, mapping::knows), unit), plant, clock);
    }
}
