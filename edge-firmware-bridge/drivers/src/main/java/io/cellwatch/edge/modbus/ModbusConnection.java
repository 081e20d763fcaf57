package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import io.cellwatch.edge.publish.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one connection of a Modbus source to its device (a TCP connection, or the serial port), kept open across polls.
 * It is opened when a request needs it; after a failed open the next one waits a full-jitter backoff (1 s doubling
 * to 30 s), so a device that is down is not hammered. Called from the source's one poller thread.
 */
final class ModbusConnection {

    private static final Logger log = LoggerFactory.getLogger(ModbusConnection.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final String source;
    private final String endpoint;
    private final AbstractModbusMaster master;
    private final Clock clock;
    private final Backoff backoff = new Backoff(FIRST_DELAY, MAX_DELAY,
            bound -> ThreadLocalRandom.current().nextLong(bound));
    private int failedOpens;
    private long nextOpenAt;
    private String openError = "";
    private long opens;

    ModbusConnection(final String source, final String endpoint, final AbstractModbusMaster master,
                     final Clock clock) {
        this.source = source;
        this.endpoint = endpoint;
        this.master = master;
        this.clock = clock;
        // j2mod's "retries" is its number of attempts; the source retries itself, so it can tell answers from I/O.
        master.setRetries(1);
    }

    /** The master, open; throws when it cannot be opened now (the device is down, or the backoff is not over). */
    AbstractModbusMaster open() throws ModbusUnreachableException {
        if (master.isConnected()) {
            return master;
        }
        final long now = clock.millis();
        if (now < nextOpenAt) {
            // No countdown in the text: the request's error must stay the same while the device stays down.
            throw new ModbusUnreachableException("not connected (waiting to reconnect after: " + openError + ")");
        }
        try {
            master.connect();
            opens++;
            if (failedOpens > 0) {
                log.info("source '{}': connected to {} again after {} failed attempts", source, endpoint,
                        failedOpens);
            }
            failedOpens = 0;
            openError = "";
            return master;
        } catch (final Exception e) {
            master.disconnect();
            openError = ModbusErrors.describe(e);
            if (failedOpens == 0) {
                log.warn("source '{}': cannot connect to {}: {} (retrying with backoff up to {} s; logged again"
                        + " when connected)", source, endpoint, openError, MAX_DELAY.toSeconds());
            }
            nextOpenAt = now + backoff.delayMs(failedOpens);
            failedOpens++;
            throw new ModbusUnreachableException("cannot connect to " + endpoint + ": " + openError);
        }
    }

    /** Drops the connection after an I/O error or a timeout: a late answer on it would be taken for the next one. */
    void lost() {
        master.disconnect();
    }

    /** Connections opened since start. */
    long opens() {
        return opens;
    }

    void close() {
        master.disconnect();
    }
}
