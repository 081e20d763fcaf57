package io.cellwatch.extension.fleet;

import java.util.Locale;

/** Whether a gateway is connected and sending: its MQTT session and the age of its newest publish. */
public enum GatewayState {
    /** Connected, and published within the stale timeout. */
    ONLINE,
    /** Connected, but nothing published for longer than the stale timeout. */
    STALE,
    /** Not connected. */
    OFFLINE;

    /** The name used in JSON, topics and history: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
