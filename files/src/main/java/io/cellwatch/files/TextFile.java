package io.cellwatch.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a configuration file as UTF-8, turning a missing or unreadable file into a {@link FileProblem}. */
public final class TextFile {

    private TextFile() {
    }

    /** The whole file as text. */
    public static String read(Path file) throws InvalidFileException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(List.of(missing(file)));
        } catch (IOException e) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "cannot read file: " + e)));
        }
    }

    /** The problem reported for a file that does not exist. */
    public static FileProblem missing(Path file) {
        return new FileProblem(file, 0, "file does not exist");
    }
}
