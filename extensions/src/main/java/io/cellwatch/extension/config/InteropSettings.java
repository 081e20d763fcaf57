package io.cellwatch.extension.config;

import java.nio.file.Path;

/**
 * Foreign devices (docs/interop.md).
 *
 * @param mappingFile the mapping rules file: foreign topics mapped into a tenant's tree, Sparkplug B groups mapped
 *                    to tenants; re-read within a second of an edit; no file, no mapping
 */
public record InteropSettings(Path mappingFile) {

    public static final String MAPPING_FILE = "interop.mapping-file";

    /** {@code mapping.rules} in {@code confDir}. */
    public static InteropSettings defaults(final Path confDir) {
        return new InteropSettings(confDir.resolve("mapping.rules"));
    }

    static InteropSettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        return new InteropSettings(confDir.resolve(file.stringValue(MAPPING_FILE, "mapping.rules", errors)));
    }
}
