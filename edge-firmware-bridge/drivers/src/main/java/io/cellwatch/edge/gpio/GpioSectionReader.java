package io.cellwatch.edge.gpio;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.config.ConfFile;
import io.cellwatch.edge.config.SectionReader;
import io.cellwatch.edge.config.SourceSection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code type = gpio} section: its {@code pin.METRIC = BCM-PIN [path]} inputs, every problem with its line. */
final class GpioSectionReader {

    private GpioSectionReader() {
    }

    static GpioSettings read(final SourceSection section) {
        final SectionReader reader = section.reader();
        // Contacts change rarely and are published on change: without a poll-interval of its own, every 10s.
        final Duration poll = reader.string("poll-interval", null) == null ? Duration.ofSeconds(10)
                : section.pollInterval();
        final String pull = reader.string("pull", "down");
        if (!List.of("down", "up", "off").contains(pull)) {
            reader.problem("pull", "= '" + pull + "': expected down, up or off");
        }
        final Duration debounce = reader.duration("debounce", Duration.ofMillis(10), Duration.ZERO);
        final List<GpioSettings.Input> inputs = new ArrayList<>();
        final List<ConfFile.Entry> pins = reader.withPrefix("pin.");
        for (final ConfFile.Entry entry : pins) {
            final String metric = entry.key().substring("pin.".length());
            final String[] words = entry.value().split("\\s+");
            try {
                final int pin = Integer.parseInt(words[0]);
                if (pin < 0 || pin > 53 || words.length > 2) {
                    throw new IllegalArgumentException("expected 'BCM-PIN [path]' with a pin from 0 to 53");
                }
                final String path = words.length == 2 ? words[1] : "";
                TopicBuilder node = TopicBuilder.tenant("t");
                final String[] levels = path.isEmpty() ? new String[0] : path.split("/", -1);
                if (levels.length % 2 != 0) {
                    throw new IllegalArgumentException("path '" + path + "' needs (level, id) pairs");
                }
                for (int i = 0; i < levels.length; i += 2) {
                    node = node.child(levels[i], levels[i + 1]);
                }
                node.metric(metric);
                inputs.add(new GpioSettings.Input(metric, pin, path));
            } catch (final NumberFormatException e) {
                reader.problem(entry.key(), "= '" + entry.value() + "': expected 'BCM-PIN [path]'");
            } catch (final IllegalArgumentException e) {
                reader.problem(entry.key(), "= '" + entry.value() + "': "
                        + e.getMessage().replaceAll("topic level \\d+", "a level"));
            }
        }
        if (pins.isEmpty()) {
            reader.problem("type", "= gpio needs at least one 'pin.METRIC = BCM-PIN [path]'");
        }
        return new GpioSettings(section.name(), poll, pull, debounce, inputs);
    }
}
