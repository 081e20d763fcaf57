package io.cellwatch.extension.alerts;

import java.util.Locale;

/** How bad an alert is, most severe first. */
public enum Severity {
    CRITICAL, MAJOR, MINOR, WARNING, INFO;

    /** The name used in the rules file, JSON and topics: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity named {@code word}, or {@code null}. */
    public static Severity ofWord(final String word) {
        for (final Severity severity : values()) {
            if (severity.word().equals(word)) {
                return severity;
            }
        }
        return null;
    }
}
