package io.cellwatch.extension.display;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.TextFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The display file as loaded: each tenant's overrides of the built-in units, labels, decimals, ranges and level
 * names. Immutable.
 *
 * @param file    where it came from
 * @param tenants overrides by tenant id
 */
public record DisplayFile(Path file, Map<String, DisplayTable> tenants) {

    /** The most bytes a display file may hold: it is read whole on every change. */
    public static final int MAX_BYTES = 256 * 1024;

    public DisplayFile {
        tenants = Map.copyOf(tenants);
    }

    /** No overrides (no file). */
    public static DisplayFile none(final Path file) {
        return new DisplayFile(file, Map.of());
    }

    /** Parses {@code content} of {@code file}; every problem found is reported with its line. */
    public static DisplayFile parse(final Path file, final String content) throws InvalidFileException {
        if (content.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "file is larger than " + MAX_BYTES
                    + " bytes")));
        }
        return new DisplayFileParser(file).parse(content);
    }

    /** Reads and parses {@code file}; a missing file has no overrides. */
    public static DisplayFile load(final Path file) throws InvalidFileException {
        if (!Files.exists(file)) {
            return none(file);
        }
        return parse(file, TextFile.read(file));
    }

    /** What {@code tenant} sees: the built-in table with its overrides; the built-in one alone for no tenant. */
    public DisplayTable forTenant(final Optional<String> tenant) {
        return tenant.map(tenants::get).map(DisplayTable.BUILT_IN::with).orElse(DisplayTable.BUILT_IN);
    }
}
