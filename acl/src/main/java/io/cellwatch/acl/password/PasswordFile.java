package io.cellwatch.acl.password;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.TextFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed mosquitto password file: {@code user:hash} lines, {@code #} comments and blank lines.
 * Immutable and thread-safe.
 */
public final class PasswordFile {

    private final Path file;
    private final Map<String, String> hashes;

    private PasswordFile(Path file, Map<String, String> hashes) {
        this.file = file;
        this.hashes = Collections.unmodifiableMap(hashes);
    }

    /** Reads and validates the file; every problem is reported with its line. */
    public static PasswordFile load(Path file) throws InvalidFileException {
        return parse(file, TextFile.read(file));
    }

    /** Validates content already read from {@code file} (the name is only used in problems). */
    public static PasswordFile parse(Path file, String content) throws InvalidFileException {
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        List<FileProblem> problems = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                problems.add(new FileProblem(file, lineNo, "missing ':' between user and password hash"));
                continue;
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (user.isEmpty()) {
                problems.add(new FileProblem(file, lineNo, "empty user name"));
                continue;
            }
            if (!PasswordHash.isWellFormed(hash)) {
                problems.add(new FileProblem(file, lineNo, "unknown password hash format for user '" + user
                        + "' (expected $7$<iterations>$<salt>$<hash> or $6$<salt>$<hash>, as mosquitto_passwd writes)"));
                continue;
            }
            Integer first = lineOf.putIfAbsent(user, lineNo);
            if (first != null) {
                problems.add(new FileProblem(file, lineNo, "duplicate user '" + user + "' (first at line " + first + ")"));
                continue;
            }
            hashes.put(user, hash);
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        return new PasswordFile(file, hashes);
    }

    public Path file() {
        return file;
    }

    /** The encoded hash of a user, as written in the file. */
    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    /** Every user, in file order. */
    public Set<String> users() {
        return hashes.keySet();
    }

    /** True if the user exists and the password matches; slow by design (PBKDF2). */
    public boolean verify(String user, char[] password) {
        String hash = hashes.get(user);
        return hash != null && PasswordHash.verify(hash, password);
    }
}
