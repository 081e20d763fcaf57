package io.cellwatch.edge.gpio;

import com.pi4j.Pi4J;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.NodeReading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The GPIO source on pi4j's mock provider, and off a Pi. */
class GpioSourceTest {

    private static final TopicBuilder PLANT = TopicBuilder.tenant("acme").child("plants", "p1");
    private static final GpioSettings SETTINGS = new GpioSettings("contacts", Duration.ofSeconds(10), "down",
            Duration.ZERO, List.of(new GpioSettings.Input("contactor", 17, "racks/r1"),
            new GpioSettings.Input("door", 27, "")));

    @Test
    void pollReadsEveryInputAndAChangeIsPublishedAtOnce() {
        final List<NodeReading> changes = new CopyOnWriteArrayList<>();
        try (GpioSource source = new GpioSource(SETTINGS, PLANT,
                () -> Pi4J.newContextBuilder().add(MockDigitalInputProvider.newInstance()).build())) {
            source.onChange(changes::add);
            assertThat(source.available()).isTrue();
            final MockDigitalInput door = source.input(1);
            door.mockState(DigitalState.HIGH);

            await().atMost(Duration.ofSeconds(5)).until(() -> !changes.isEmpty());
            assertThat(changes.get(0).node()).isEqualTo("tenants/acme/plants/p1");
            assertThat(changes.get(0).names()).containsExactly("door");
            assertThat(changes.get(0).values()).containsExactly(1.0);

            final List<NodeReading> poll = source.poll(1_764_000_000_000L);
            assertThat(poll).extracting(NodeReading::node)
                    .containsExactly("tenants/acme/plants/p1/racks/r1", "tenants/acme/plants/p1");
            assertThat(poll.get(0).values()).containsExactly(0.0);
            assertThat(poll.get(1).values()).containsExactly(1.0);
        }
    }

    @Test
    void withoutAGpioProviderTheSourceSaysNotAvailableAndPublishesNothing() {
        try (GpioSource source = new GpioSource(SETTINGS, PLANT,
                () -> Pi4J.newContextBuilder().noAutoDetect().build())) {
            assertThat(source.available()).isFalse();
            assertThat(source.unavailableReason()).isNotBlank();
            assertThat(source.poll(1_764_000_000_000L)).isEmpty();
        }
    }

    @Test
    void aFailingContextIsNotAvailableEither() {
        try (GpioSource source = new GpioSource(SETTINGS, PLANT, () -> {
            throw new UnsatisfiedLinkError("no libgpiod on this machine");
        })) {
            assertThat(source.available()).isFalse();
            assertThat(source.unavailableReason()).contains("no libgpiod on this machine");
        }
    }
}
