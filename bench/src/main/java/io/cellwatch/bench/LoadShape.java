package io.cellwatch.bench;

import io.cellwatch.contract.TopicBuilder;

import com.hivemq.client.mqtt.datatypes.MqttQos;

import java.util.Locale;

/**
 * What the load generator publishes: {@code gateways} MQTT connections, each a pack of {@code cells} cells under
 * {@code tenants/bench/plants/p1/racks/r{g/4+1}/packs/k{g+1}}, at one QoS, with node or single-metric payloads.
 *
 * @param gateways gateway connections (client ids {@code gw-1 …}), four packs per rack
 * @param cells    topics (cells) per gateway
 * @param payload  node payloads (3 samples each) or single-metric leaf publishes (1 sample)
 * @param qos      0 or 1
 * @param window   publishes in flight per connection (not yet acknowledged, or for QoS 0 not yet written)
 */
record LoadShape(int gateways, int cells, Payload payload, int qos, int window) {

    /** Payload shape. */
    enum Payload {
        /** {@code …/cells/N} with {@code {"voltage":…,"temperature":…,"soc":…,"seq":…}}: 3 samples per publish. */
        NODE(3),
        /** {@code …/cells/N/voltage} (and temperature, soc in turn) with {@code {"v":…,"seq":…}}: 1 sample. */
        METRIC(1);

        private final int samples;

        Payload(final int samples) {
            this.samples = samples;
        }

        int samples() {
            return samples;
        }

        static Payload parse(final String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    LoadShape withQos(final int q) {
        return new LoadShape(gateways, cells, payload, q, window);
    }

    LoadShape withGateways(final int n) {
        return new LoadShape(n, cells, payload, qos, window);
    }

    MqttQos mqttQos() {
        return qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    }

    static String clientId(final int gateway) {
        return "gw-" + (gateway + 1);
    }

    static int rack(final int gateway) {
        return gateway / 4 + 1;
    }

    static String rackPath(final int rack) {
        return rackNode(rack).node();
    }

    static String packPath(final int gateway) {
        return packNode(gateway).node();
    }

    /** The node of cell {@code cell} (1-based) in the pack of {@code gateway}. */
    static TopicBuilder cellNode(final int gateway, final int cell) {
        return packNode(gateway).child("cells", Integer.toString(cell));
    }

    private static TopicBuilder rackNode(final int rack) {
        return TopicBuilder.tenant("bench").child("plants", "p1").child("racks", "r" + rack);
    }

    private static TopicBuilder packNode(final int gateway) {
        return rackNode(rack(gateway)).child("packs", "k" + (gateway + 1));
    }

    @Override
    public String toString() {
        return gateways + " gateways x " + cells + " cells, " + payload.name().toLowerCase(Locale.ROOT)
                + " payloads (" + payload.samples() + " sample(s)/publish), QoS " + qos + ", window " + window;
    }
}
