package io.cellwatch.acl.password;

import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.PrivateFile;
import io.cellwatch.files.TextFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits a password file in place the way mosquitto_passwd does, but atomically (temporary file in the same folder,
 * then a rename) so the broker's watcher never reads half a file. Comments, blank lines and other users' lines are
 * kept byte for byte. Stateless; concurrent edits of the same file are last-writer-wins.
 */
public final class PasswordFileWriter {

    private PasswordFileWriter() {
    }

    /** Replaces the file (creating it) with one line for {@code user}. */
    public static void create(Path file, String user, String encodedHash) throws IOException {
        checkEntry(user, encodedHash);
        write(file, List.of(user + ":" + encodedHash));
    }

    /**
     * Sets the hash of {@code user} in an existing, valid file: replaces the user's line or appends one.
     *
     * @return true if the user existed and was updated, false if added
     */
    public static boolean put(Path file, String user, String encodedHash) throws IOException, InvalidFileException {
        checkEntry(user, encodedHash);
        List<String> lines = readValid(file);
        String entry = user + ":" + encodedHash;
        int at = indexOf(lines, user);
        if (at >= 0) {
            lines.set(at, entry);
        } else {
            // An empty last element is the file's final newline; insert before it.
            int end = !lines.isEmpty() && lines.get(lines.size() - 1).isEmpty() ? lines.size() - 1 : lines.size();
            lines.add(end, entry);
        }
        write(file, lines);
        return at >= 0;
    }

    /**
     * Removes {@code user} from an existing, valid file.
     *
     * @return false if the user was not in the file (the file is left untouched)
     */
    public static boolean delete(Path file, String user) throws IOException, InvalidFileException {
        List<String> lines = readValid(file);
        int at = indexOf(lines, user);
        if (at < 0) {
            return false;
        }
        lines.remove(at);
        write(file, lines);
        return true;
    }

    /** Null if the user name can go into a password file, otherwise why not (a fixed message). */
    public static String userNameProblem(String user) {
        if (user == null || user.isEmpty()) {
            return "user name must not be empty";
        }
        if (user.indexOf(':') >= 0) {
            return "user name must not contain ':'";
        }
        if (!user.equals(user.strip()) || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "user name must not contain control characters or leading/trailing spaces";
        }
        return null;
    }

    private static void checkEntry(String user, String encodedHash) {
        String problem = userNameProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!PasswordHash.isWellFormed(encodedHash)) {
            throw new IllegalArgumentException("not a mosquitto password hash");
        }
    }

    private static List<String> readValid(Path file) throws InvalidFileException {
        String content = TextFile.read(file);
        // Refuse to edit a file the broker would reject: the admin must see and fix the problem first.
        PasswordFile.parse(file, content);
        return new ArrayList<>(List.of(content.split("\n", -1)));
    }

    private static int indexOf(List<String> lines, String user) {
        String prefix = user + ":";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** A new password file holds hashes: owner-only; an existing one keeps the permissions its admin gave it. */
    private static void write(Path file, List<String> lines) throws IOException {
        String text = String.join("\n", lines);
        PrivateFile.update(file.toAbsolutePath(), text.endsWith("\n") ? text : text + "\n");
    }
}
