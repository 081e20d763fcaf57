package io.cellwatch.extension.config;

import java.nio.file.Path;

/**
 * How numbers and names are shown (docs/api.md, "Units and names").
 *
 * @param file the display file: per-tenant units, labels, decimals and ranges of metrics and names of levels over
 *             the built-in ones; re-read within two seconds of an edit; no file, built-in ones only
 */
public record DisplaySettings(Path file) {

    public static final String FILE = "display.file";

    /** {@code display.conf} in {@code confDir}. */
    public static DisplaySettings defaults(final Path confDir) {
        return new DisplaySettings(confDir.resolve("display.conf"));
    }

    static DisplaySettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        return new DisplaySettings(confDir.resolve(file.stringValue(FILE, "display.conf", errors)));
    }
}
