package io.cellwatch.edge.app;

import io.cellwatch.edge.gpio.GpioSource;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.mqtt.LocalMqttSource;
import io.cellwatch.edge.opcua.OpcUaSource;
import io.cellwatch.edge.source.SimulatorSource;
import io.cellwatch.edge.source.SourceTypes;
import io.cellwatch.edge.sunspec.SunspecSource;

/** Every source type {@code cellwatch-gateway.jar} runs: the core's simulator and each driver. */
public final class GatewaySources {

    private static final SourceTypes ALL = SourceTypes.of(ModbusSource.TCP, ModbusSource.RTU, SunspecSource.TYPE,
            GpioSource.TYPE,
            SimulatorSource.TYPE, OpcUaSource.TYPE, LocalMqttSource.TYPE);

    private GatewaySources() {
    }

    /** In the order {@code check} lists them for a bad {@code type}. */
    public static SourceTypes all() {
        return ALL;
    }
}
