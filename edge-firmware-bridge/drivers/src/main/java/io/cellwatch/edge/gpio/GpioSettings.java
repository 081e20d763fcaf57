package io.cellwatch.edge.gpio;

import io.cellwatch.edge.config.SourceSettings;

import java.time.Duration;
import java.util.List;

/**
 * GPIO inputs (contactor, door, fire-alarm contacts), published on every change and every {@code pollInterval}.
 *
 * @param pull   {@code down}, {@code up} or {@code off}
 * @param inputs the inputs, each a BCM pin mapped to a metric of a node
 */
public record GpioSettings(String name, Duration pollInterval, String pull, Duration debounce, List<Input> inputs)
        implements SourceSettings {

    public GpioSettings {
        inputs = List.copyOf(inputs);
    }

    /**
     * One input.
     *
     * @param metric metric name; 1 when the pin is high, 0 when low
     * @param pin    BCM pin number
     * @param path   (level, id) pairs under the plant, or empty for the plant node
     */
    public record Input(String metric, int pin, String path) {
    }
}
