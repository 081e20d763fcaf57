package io.cellwatch.extension.alerts;

import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.TextFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every tenant's alert rules and webhook, as loaded from the rules file. Immutable.
 *
 * @param file    where they came from
 * @param tenants by tenant id
 */
public record AlertRules(Path file, Map<String, TenantAlerts> tenants) {

    public AlertRules {
        tenants = Map.copyOf(tenants);
    }

    /** No rules at all (no rules file). */
    public static AlertRules none(final Path file) {
        return new AlertRules(file, Map.of());
    }

    /** Parses {@code content} of {@code file}; every problem found is reported with its line. */
    public static AlertRules parse(final Path file, final String content) throws InvalidFileException {
        return new AlertRulesParser(file).parse(content);
    }

    /** Reads and parses {@code file}; a missing file is no rules. */
    public static AlertRules load(final Path file) throws InvalidFileException {
        if (!Files.exists(file)) {
            return none(file);
        }
        return parse(file, TextFile.read(file));
    }

    /** The rules of {@code tenant}, if it has a block. */
    public Optional<TenantAlerts> tenant(final String tenant) {
        return Optional.ofNullable(tenants.get(tenant));
    }

    /** Number of rules over every tenant. */
    public int size() {
        return tenants.values().stream().mapToInt(t -> t.rules().size()).sum();
    }
}
