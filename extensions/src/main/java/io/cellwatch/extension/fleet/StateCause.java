package io.cellwatch.extension.fleet;

import java.util.Locale;

/** Why a gateway's state changed. */
public enum StateCause {
    /** It connected. */
    CONNECT,
    /** It published again after being stale. */
    DATA,
    /** It was connected but silent for longer than the stale timeout. */
    TIMEOUT,
    /** It sent a normal DISCONNECT. */
    DISCONNECT,
    /** The connection ended without a normal DISCONNECT (cut, or DISCONNECT with will): its will is sent. */
    WILL,
    /** The broker closed it: keep-alive expired, its client id was taken over, or its rights were revoked. */
    SERVER,
    /** A Sparkplug B edge node or device published its birth certificate (NBIRTH, DBIRTH). */
    BIRTH,
    /** A Sparkplug B edge node or device published its death certificate (NDEATH, DDEATH). */
    DEATH;

    /** The name used in JSON, topics and history: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
