package io.cellwatch.acl.policy;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.TextFile;
import io.cellwatch.files.StableChangePoller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link AccessPolicy} in step with its two files: polls their modification time, size and content on one
 * daemon thread ({@code cellwatch-acl-watcher}, a {@link StableChangePoller}), loads a change once it has been
 * stable for one poll (so an editor that truncates and then writes is not caught halfway), swaps {@link #current()} on success and keeps the last good
 * policy on failure. Thread-safe; {@link #close()} is idempotent. Listener calls happen on the watcher thread.
 */
public final class AccessPolicyWatcher implements AutoCloseable {

    /** Told about every reload attempt; must not block for long (it delays the next poll). */
    public interface Listener {
        /** A changed pair of files was loaded and is now {@link #current()}. */
        void applied(AccessPolicy policy, AccessPolicy previous);

        /** A changed pair of files was invalid; the previous policy stays in force. */
        void rejected(InvalidFileException e);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AccessPolicyWatcher.class);

    private final Path passwordFile;
    private final Path aclFile;
    private final Listener listener;
    private final AtomicLong failedReloads = new AtomicLong();
    private volatile AccessPolicy current;
    private final StableChangePoller<Snapshot> poller;

    /** What a poll saw: equal snapshots mean nothing changed. */
    private record Snapshot(FileState passwords, FileState acl) {
    }

    /** A missing file has a null text. */
    private record FileState(long lastModified, long size, String text) {
    }

    private AccessPolicyWatcher(Path passwordFile, Path aclFile, Duration pollInterval, Listener listener,
                                AccessPolicy initial, Snapshot loaded) {
        this.passwordFile = passwordFile;
        this.aclFile = aclFile;
        this.listener = listener;
        this.current = initial;
        this.poller = new StableChangePoller<>("cellwatch-acl-watcher", pollInterval, loaded,
                () -> snapshot(passwordFile, aclFile), this::reload);
    }

    /**
     * Loads both files now (throwing if they are invalid: the caller decides whether to start without a policy) and
     * starts polling every {@code pollInterval}.
     */
    public static AccessPolicyWatcher start(Path passwordFile, Path aclFile, Duration pollInterval, Listener listener)
            throws InvalidFileException {
        Objects.requireNonNull(listener, "listener");
        Snapshot first = snapshot(passwordFile, aclFile);
        AccessPolicy initial = load(passwordFile, aclFile, first);
        AccessPolicyWatcher watcher =
                new AccessPolicyWatcher(passwordFile, aclFile, pollInterval, listener, initial, first);
        watcher.poller.start();
        return watcher;
    }

    /** The policy in force: the last one that loaded. */
    public AccessPolicy current() {
        return current;
    }

    /** How many changes were rejected since start. */
    public long failedReloads() {
        return failedReloads.get();
    }

    @Override
    public void close() {
        poller.close();
    }

    private void reload(Snapshot snapshot) {
        AccessPolicy previous = current;
        AccessPolicy next;
        try {
            next = load(passwordFile, aclFile, snapshot);
        } catch (InvalidFileException e) {
            // The listener reports it (once): this library does not log what its listener is told.
            try {
                listener.rejected(e);
            } catch (RuntimeException ex) {
                LOG.error("ACL watcher listener failed in rejected()", ex);
            }
            // Counted after the listener ran, so whoever sees the count also sees what the listener did.
            failedReloads.incrementAndGet();
            return;
        }
        current = next;
        // The listener reports the reload and the new policy's warnings (once each).
        try {
            listener.applied(next, previous);
        } catch (RuntimeException ex) {
            LOG.error("ACL watcher listener failed in applied()", ex);
        }
    }

    private static AccessPolicy load(Path passwordFile, Path aclFile, Snapshot s) throws InvalidFileException {
        List<FileProblem> missing = new ArrayList<>();
        if (s.passwords.text == null) {
            missing.add(TextFile.missing(passwordFile));
        }
        if (s.acl.text == null) {
            missing.add(TextFile.missing(aclFile));
        }
        if (!missing.isEmpty()) {
            throw new InvalidFileException(missing);
        }
        return AccessPolicy.parse(passwordFile, s.passwords.text, aclFile, s.acl.text);
    }

    private static Snapshot snapshot(Path passwordFile, Path aclFile) {
        return new Snapshot(state(passwordFile), state(aclFile));
    }

    /** Reads the bytes that will be parsed, so what is hashed and what is loaded cannot differ. */
    private static FileState state(Path file) {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            byte[] bytes = Files.readAllBytes(file);
            return new FileState(modified, bytes.length, new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new FileState(-1, -1, null);
        } catch (IOException e) {
            // Unreadable counts as missing; the reject names the file and the next poll tries again.
            return new FileState(-2, -2, null);
        }
    }

    @Override
    public String toString() {
        return "AccessPolicyWatcher" + Arrays.asList(passwordFile, aclFile);
    }
}
