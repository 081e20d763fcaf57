package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** A test's MQTT subscriber that reads every message on a topic filter as JSON (retained ones first). */
public final class JsonTopic {

    private JsonTopic() {
    }

    /**
     * Connects as {@code user} to the server on {@code mqttPort}, subscribes to {@code filter} at QoS 1 and returns the
     * messages as they arrive; the connection is handed to {@code closeLater}.
     */
    public static BlockingQueue<JsonNode> subscribe(final int mqttPort, final String user, final String filter,
                                                    final Consumer<AutoCloseable> closeLater) {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
                .identifier(user + "-json-reader-" + System.nanoTime())
                .serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        client.connect().join();
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback((Mqtt5Publish publish) -> {
                    try {
                        received.add(HttpApi.JSON.readTree(publish.getPayloadAsBytes()));
                    } catch (final IOException e) {
                        throw new AssertionError(e);
                    }
                }).send().join();
        closeLater.accept(() -> client.disconnect().join());
        return received;
    }
}
