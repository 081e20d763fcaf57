package io.cellwatch.edge.app;

import java.util.Map;

/**
 * The gateway's log line format (slf4j-simple, on stderr): with an ISO date and time, unless it runs under systemd's
 * journal, which stamps every line itself; Eclipse Milo's own loggers off. Set before the first logger is made.
 */
final class LogFormat {

    private static final String MILO = "org.slf4j.simpleLogger.log.org.eclipse.milo";

    private LogFormat() {
    }

    /** @param env the process environment; systemd sets {@code JOURNAL_STREAM} when stderr goes to the journal */
    static void configure(final Map<String, String> env) {
        // Milo logs every failed attempt of a secured connection at ERROR with a stack trace, and its own reconnect
        // attempts, which the gateway does not use; the OPC-UA source says itself what failed and what to do.
        // -Dorg.slf4j.simpleLogger.log.org.eclipse.milo=debug brings Milo's log back when it is needed.
        if (System.getProperty(MILO) == null) {
            System.setProperty(MILO, "off");
        }
        if (env.get("JOURNAL_STREAM") == null && System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
    }
}
