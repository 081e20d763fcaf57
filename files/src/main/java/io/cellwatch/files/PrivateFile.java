package io.cellwatch.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets or who-is-who (passwords, generated broker config, client id owners) readable by
 * their owner only ({@code 0600}), created so from the first byte: written to a temporary file made with those
 * permissions, then moved over the target, so no reader ever sees a world-readable or half-written file.
 */
public final class PrivateFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFile() {
    }

    /** Replaces {@code target} with {@code text} (UTF-8), owner-only whatever it was before. */
    public static void write(Path target, String text) throws IOException {
        replace(target, text, false);
    }

    /**
     * Replaces {@code target} with {@code text} (UTF-8), keeping the permissions an admin gave the existing file; a
     * new file is owner-only.
     */
    public static void update(Path target, String text) throws IOException {
        replace(target, text, true);
    }

    private static void replace(Path target, String text, boolean keepPermissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createOwnerOnly(dir, "." + target.getFileName() + ".");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (keepPermissions && Files.exists(target)
                    && Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An empty owner-only temporary file in {@code dir}; the caller moves or deletes it. */
    public static Path createOwnerOnly(Path dir, String prefix) throws IOException {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            // Not a POSIX file system: the folder's own permissions apply.
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        return Files.createTempFile(dir, prefix, ".tmp", ownerOnly);
    }
}
