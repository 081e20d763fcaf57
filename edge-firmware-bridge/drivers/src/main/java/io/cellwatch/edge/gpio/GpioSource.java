package io.cellwatch.edge.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.IOType;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.NodeCollector;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * GPIO inputs through pi4j: every input is read on each poll (1 high, 0 low) and published at once when it
 * changes. Off a Pi, or without GPIO rights, the source says once that GPIO is not available and why, and publishes
 * nothing; the rest of the gateway runs. Change events arrive on pi4j's threads; polls on the poller thread.
 */
public final class GpioSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(GpioSource.class);

    /** {@code type = gpio}: pins of this machine, through pi4j's automatic context (libgpiod on a Pi). */
    public static final SourceType<GpioSettings> TYPE = new SourceType<>("gpio", GpioSettings.class,
            GpioSectionReader::read,
            (settings, gateway, clock) -> new GpioSource(settings, gateway.plantNode(), Pi4J::newAutoContext));

    private final GpioSettings settings;
    private final TopicBuilder plant;
    private final Context context;
    private final List<DigitalInput> inputs = new ArrayList<>();
    private final AtomicLong readErrors = new AtomicLong();
    private final String unavailable;
    private volatile Consumer<NodeReading> changes = reading -> { };

    /**
     * @param contexts makes the pi4j context (its providers decide real, mock or none); this source shuts it down
     */
    public GpioSource(final GpioSettings settings, final TopicBuilder plant, final Supplier<Context> contexts) {
        this.settings = settings;
        this.plant = plant;
        String problem = null;
        Context made = null;
        try {
            made = contexts.get();
            final Context context = made;
            for (final GpioSettings.Input input : settings.inputs()) {
                final DigitalInput digital = context.create(DigitalInput.newConfigBuilder(context)
                        .id(settings.name() + "-" + input.metric()).name(input.metric()).address(input.pin())
                        .pull(pull(settings.pull())).debounce(settings.debounce().toMillis() * 1000,
                                TimeUnit.MICROSECONDS).build(), IOType.DIGITAL_INPUT);
                digital.addListener(event -> changes.accept(reading(input, event.state(), System.currentTimeMillis())));
                inputs.add(digital);
            }
        } catch (final RuntimeException | LinkageError e) {
            problem = e.toString();
            log.warn("source '{}': GPIO not available ({}); it publishes nothing, the rest of the gateway runs",
                    settings.name(), problem);
        }
        this.context = made;
        this.unavailable = problem;
    }

    /** The pi4j input of entry {@code i} of the config (tests drive pi4j's mock inputs through it). */
    @SuppressWarnings("unchecked")
    <T extends DigitalInput> T input(final int i) {
        return (T) inputs.get(i);
    }

    /** True when every input could be opened. */
    public boolean available() {
        return unavailable == null;
    }

    /** Why GPIO is not available, or null. */
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public void onChange(final Consumer<NodeReading> sink) {
        this.changes = sink;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<NodeReading> poll(final long now) {
        if (!available()) {
            return List.of();
        }
        final NodeCollector nodes = new NodeCollector(plant);
        for (int i = 0; i < inputs.size(); i++) {
            final GpioSettings.Input input = settings.inputs().get(i);
            final DigitalState state = inputs.get(i).state();
            if (state == DigitalState.UNKNOWN) {
                readErrors.incrementAndGet();
                continue;
            }
            nodes.add(input.path(), input.metric(), state.isHigh() ? 1 : 0);
        }
        return nodes.readings(now);
    }

    private NodeReading reading(final GpioSettings.Input input, final DigitalState state, final long now) {
        final NodeCollector node = new NodeCollector(plant);
        node.add(input.path(), input.metric(), state.isHigh() ? 1 : 0);
        return node.readings(now).get(0);
    }

    @Override
    public long readErrors() {
        return readErrors.get();
    }

    @Override
    public void close() {
        if (context == null) {
            return;
        }
        try {
            context.shutdown();
        } catch (final RuntimeException e) {
            log.debug("pi4j shutdown: {}", e.toString());
        }
    }

    private static PullResistance pull(final String pull) {
        return switch (pull) {
            case "up" -> PullResistance.PULL_UP;
            case "off" -> PullResistance.OFF;
            default -> PullResistance.PULL_DOWN;
        };
    }
}
