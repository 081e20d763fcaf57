package io.cellwatch.extension.config;

import java.nio.file.Path;

/**
 * Alert rules and notifications.
 *
 * @param rulesFile            the alert rules file (docs/alerts.md); missing means no rules until it is written
 * @param webhookBackoffMillis the wait before a failed webhook call is first retried; doubled for each next retry
 */
public record AlertSettings(Path rulesFile, int webhookBackoffMillis) {

    public static final String RULES_FILE = "alerts.rules-file";
    public static final String WEBHOOK_BACKOFF_MILLIS = "alerts.webhook-backoff-millis";

    /** {@code alerts.rules} in {@code confDir}; first webhook retry after 500 ms. */
    public static AlertSettings defaults(final Path confDir) {
        return new AlertSettings(confDir.resolve("alerts.rules"), 500);
    }

    /** Reads the alert settings; a relative rules file name is resolved against {@code confDir}. */
    static AlertSettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        final AlertSettings d = defaults(confDir);
        return new AlertSettings(confDir.resolve(file.stringValue(RULES_FILE, "alerts.rules", errors)),
                file.intValue(WEBHOOK_BACKOFF_MILLIS, d.webhookBackoffMillis(), 10, 60_000, errors));
    }
}
