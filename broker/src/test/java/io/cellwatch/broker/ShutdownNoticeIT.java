package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that stops tells its MQTT clients so (DISCONNECT 0x8B, server shutting down) instead of only closing their
 * connections, so a gateway knows at once that it should move to another node or wait for this one.
 */
@Timeout(60)
class ShutdownNoticeIT {

    @TempDir
    Path dir;

    @Test
    void aStoppingServerSendsEveryConnectedClientADisconnectSayingItIsShuttingDown() throws Exception {
        final CellwatchServer server = TestServers.start(dir);
        final CompletableFuture<Throwable> gatewayCause = new CompletableFuture<>();
        final CompletableFuture<Throwable> operatorCause = new CompletableFuture<>();
        connect(TestAccess.ACME_GATEWAY, TestAccess.ACME_GATEWAY, server.mqttPort(), gatewayCause);
        connect(TestAccess.NORDVOLT_OPERATOR + "-shutdown", TestAccess.NORDVOLT_OPERATOR, server.mqttPort(),
                operatorCause);

        server.close();

        for (final CompletableFuture<Throwable> cause : List.of(gatewayCause, operatorCause)) {
            assertThat(cause.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
                    disconnect -> {
                        assertThat(disconnect.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
                        assertThat(disconnect.getMqttMessage().getReasonString().map(Object::toString))
                                .hasValue("server shutting down");
                    });
        }
    }

    private static Mqtt5BlockingClient connect(final String clientId, final String user, final int port,
                                               final CompletableFuture<Throwable> cause) {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(port)
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .addDisconnectedListener(context -> cause.complete(context.getCause()))
                .buildBlocking();
        client.connect();
        return client;
    }
}
