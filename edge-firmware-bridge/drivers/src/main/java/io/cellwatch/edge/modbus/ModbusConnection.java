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
 * It is opened when a request needs it. An open that fails makes the next one wait a full-jitter backoff (1 s
 * doubling to 30 s), so a device that is down is not hammered; so does a TCP connection the peer closes before any
 * answer (a gateway or proxy that accepts and closes while its device is away). A timeout never does: the device may
 * be one dead unit behind a gateway whose other units answer. Called from the source's one poller thread.
 */
final class ModbusConnection {

    private static final Logger log = LoggerFactory.getLogger(ModbusConnection.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final boolean tcp;
    private final String source;
    private final String endpoint;
    private final AbstractModbusMaster master;
    private final Clock clock;
    private final Backoff backoff = new Backoff(FIRST_DELAY, MAX_DELAY,
            bound -> ThreadLocalRandom.current().nextLong(bound));
    private int failedOpens;
    private long nextOpenAt;
    private boolean answered;
    private String openError = "";
    private long opens;

    /** @param tcp a TCP connection (closed by the peer before any answer means the device is away) */
    ModbusConnection(final String source, final String endpoint, final AbstractModbusMaster master, final boolean tcp,
                     final Clock clock) {
        this.tcp = tcp;
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
            // j2mod makes a new transaction at each connect, with its default of 5 attempts: one, again.
            master.setRetries(1);
            opens++;
            answered = false;
            return master;
        } catch (final Exception e) {
            master.disconnect();
            failed(now, ModbusErrors.describe(e));
            throw new ModbusUnreachableException("cannot connect to " + endpoint + ": " + openError);
        }
    }

    private void failed(final long now, final String error) {
        openError = error;
        if (failedOpens == 0) {
            log.warn("source '{}': cannot connect to {}: {} (retrying with backoff up to {} s; logged again"
                    + " when the device answers)", source, endpoint, openError, MAX_DELAY.toSeconds());
        }
        nextOpenAt = now + backoff.delayMs(failedOpens);
        failedOpens++;
    }

    /** The device answered on this connection (values or an exception answer): it works. */
    void answered() {
        if (!answered) {
            answered = true;
            if (failedOpens > 0) {
                log.info("source '{}': {} answers again after {} failed connection attempts", source, endpoint,
                        failedOpens);
            }
            failedOpens = 0;
            openError = "";
        }
    }

    /** Drops the connection after an I/O error or a timeout: a late answer on it would be taken for the next one. */
    void lost(final Exception error) {
        master.disconnect();
        if (tcp && !answered && !timedOut(error)) {
            failed(clock.millis(), "connection closed before any answer: " + ModbusErrors.describe(error));
        }
    }

    private static boolean timedOut(final Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Connections opened since start. */
    long opens() {
        return opens;
    }

    void close() {
        master.disconnect();
    }
}
