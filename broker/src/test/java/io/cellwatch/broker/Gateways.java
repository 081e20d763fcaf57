package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;

import java.nio.charset.StandardCharsets;

/** Real MQTT 5 gateway connections for tests (HiveMQ MQTT client). */
final class Gateways {

    private Gateways() {
    }

    /** Connects as the global admin, who may publish anywhere. */
    static Mqtt5BlockingClient connect(final String clientId, final int mqttPort) {
        return connect(clientId, mqttPort, TestAccess.ADMIN);
    }

    /** Connects as {@code user} of {@link TestAccess}. */
    static Mqtt5BlockingClient connect(final String clientId, final int mqttPort, final String user) {
        final Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        client.connect();
        return client;
    }

    /** Publishes at QoS 1 and returns the broker's PUBACK reason code. */
    static Mqtt5PubAckReasonCode publish(final Mqtt5BlockingClient client, final String topic, final byte[] payload) {
        try {
            final Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload).send();
            if (result.getError().isPresent() && result.getError().get() instanceof Mqtt5PubAckException e) {
                return e.getMqttMessage().getReasonCode();
            }
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (final Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    static Mqtt5PubAckReasonCode publish(final Mqtt5BlockingClient client, final String topic, final String payload) {
        return publish(client, topic, payload.getBytes(StandardCharsets.UTF_8));
    }
}
