package io.cellwatch.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a password or ACL file, at a 1-based line (0 when it concerns the whole file).
 * Immutable and thread-safe.
 */
public record FileProblem(Path file, int line, String message) {

    public FileProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: message}, or {@code file: message} for a problem about the whole file. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
