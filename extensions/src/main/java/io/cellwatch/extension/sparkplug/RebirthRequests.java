package io.cellwatch.extension.sparkplug;

/** Asks an edge node to publish its birth certificates again (an NCMD with {@code Node Control/Rebirth = true}). */
@FunctionalInterface
public interface RebirthRequests {

    /** Publishes the rebirth request to {@code topic}, the node's NCMD topic. Must not block. */
    void request(String topic, byte[] payload);
}
