package io.cellwatch.dropin;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.cellwatch.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HiveMQ's DISABLED convention: an extension folder holding a DISABLED file is not loaded when the broker starts. */
@Timeout(120)
class DisabledDropInIT {

    @TempDir
    Path dir;

    @Test
    void aFolderWithDisabledIsNotLoaded() throws Exception {
        final Path extension = PlainHivemq.unpackExtension(dir);
        final int[] ports = FreePorts.distinct(2);
        final int httpPort = ports[0];
        final int mqttPort = ports[1];
        Files.writeString(extension.resolve("conf").resolve("cellwatch.properties"),
                "http.host = 127.0.0.1\nhttp.port = " + httpPort + "\n");
        Files.writeString(extension.resolve("DISABLED"), "");
        try (EmbeddedHiveMQ hivemq = PlainHivemq.build(dir, mqttPort)) {
            hivemq.start().get(60, TimeUnit.SECONDS);

            // No cellwatch authenticator: the stock broker lets a client in without credentials.
            final Mqtt5BlockingClient anonymous = MqttClient.builder().useMqttVersion5().identifier("anonymous")
                    .serverHost("127.0.0.1").serverPort(mqttPort).buildBlocking();
            anonymous.connect();
            assertThat(anonymous.getState().isConnected()).isTrue();
            anonymous.disconnect();
            assertThatThrownBy(() -> new Socket("127.0.0.1", httpPort).close()).isInstanceOf(ConnectException.class);
            assertThat(Files.exists(extension.resolve("data"))).as("cellwatch storage").isFalse();
            hivemq.stop().get(30, TimeUnit.SECONDS);
        }
    }
}
