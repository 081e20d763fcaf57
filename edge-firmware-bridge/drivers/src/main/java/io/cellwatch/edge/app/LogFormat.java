package io.cellwatch.edge.app;

import java.util.Map;

/**
 * The gateway's log line format (slf4j-simple, on stderr): with an ISO date and time, unless it runs under systemd's
 * journal, which stamps every line itself. Set before the first logger is made.
 */
final class LogFormat {

    private LogFormat() {
    }

    /** @param env the process environment; systemd sets {@code JOURNAL_STREAM} when stderr goes to the journal */
    static void configure(final Map<String, String> env) {
        if (env.get("JOURNAL_STREAM") == null && System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
    }
}
