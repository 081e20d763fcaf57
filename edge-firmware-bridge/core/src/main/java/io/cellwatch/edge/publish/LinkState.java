package io.cellwatch.edge.publish;

import java.util.List;

/**
 * Where the MQTT link is, for {@code /metrics} and the health line.
 *
 * @param urls      every broker, in {@code broker.url} order
 * @param broker    the index in {@code urls} of the broker connected to, or being tried while down
 * @param connected whether the link is up (to {@code broker})
 */
public record LinkState(List<String> urls, int broker, boolean connected) {

    public LinkState {
        urls = List.copyOf(urls);
    }

    /** The URL of the broker connected to, or being tried. */
    public String url() {
        return urls.get(broker);
    }
}
