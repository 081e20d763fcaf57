package io.cellwatch.edge.config;

import java.time.Duration;

/** One source of samples, polled every {@link #pollInterval()}. */
public sealed interface SourceSettings permits ModbusTcpSettings, ModbusRtuSettings, SimulatorSettings, GpioSettings,
        OpcUaSettings, MqttSourceSettings {

    String name();

    Duration pollInterval();
}
