package io.cellwatch.mapping;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.StableChangePoller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@link MappingRules} in step with their file, as the ACL watcher does: polls modification time and content
 * on one daemon thread ({@code cellwatch-mapping-watcher}, a {@link StableChangePoller}), loads a change once it has been stable for one poll,
 * swaps {@link #current()} on success and keeps the last good rules on a bad edit (logged with file and line). A
 * missing file means no rules: every foreign topic stays plain MQTT. Thread-safe; {@link #close()} is idempotent.
 */
public final class MappingWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MappingWatcher.class);

    private final Path file;
    private final AtomicLong failedReloads = new AtomicLong();
    private final AtomicLong appliedReloads = new AtomicLong();
    private volatile MappingRules current;
    private final StableChangePoller<Snapshot> poller;

    /** What a poll saw; a missing file has a null text; {@code null} when the file could not be read. */
    private record Snapshot(long modified, String text) {
    }

    private MappingWatcher(final Path file, final Duration pollInterval, final MappingRules initial,
                           final Snapshot loaded) {
        this.file = file;
        this.current = initial;
        this.poller = new StableChangePoller<>("cellwatch-mapping-watcher", pollInterval, loaded,
                () -> snapshot(file), this::reload);
    }

    /**
     * Loads {@code file} now (no file: no rules) and polls it every {@code pollInterval}.
     *
     * @throws InvalidFileException if the file is invalid, naming every problem's line
     */
    public static MappingWatcher start(final Path file, final Duration pollInterval) throws InvalidFileException {
        final Snapshot first = snapshot(file);
        if (first == null) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "cannot read the mapping rules")));
        }
        final MappingRules rules = load(file, first);
        log.info("mapping rules {}: {}", file, first.text == null ? "no file, no mapping" : rules);
        final MappingWatcher watcher = new MappingWatcher(file, pollInterval, rules, first);
        watcher.poller.start();
        return watcher;
    }

    /** The rules in force: the last that loaded. */
    public MappingRules current() {
        return current;
    }

    /** How many edits were rejected since start. */
    public long failedReloads() {
        return failedReloads.get();
    }

    /** How many edits were applied since start. */
    public long appliedReloads() {
        return appliedReloads.get();
    }

    @Override
    public void close() {
        poller.close();
    }

    private void reload(final Snapshot snapshot) {
        try {
            current = load(file, snapshot);
            appliedReloads.incrementAndGet();
            log.info("mapping rules reloaded from {}: {}", file, current);
        } catch (final InvalidFileException e) {
            log.error("mapping rules not reloaded, the previous rules stay in force: {}", e.getMessage());
            failedReloads.incrementAndGet();
        }
    }

    private static MappingRules load(final Path file, final Snapshot snapshot) throws InvalidFileException {
        return snapshot.text == null ? MappingRules.none() : MappingRules.parse(file, snapshot.text);
    }

    private static Snapshot snapshot(final Path file) {
        try {
            final long modified = Files.getLastModifiedTime(file).toMillis();
            return new Snapshot(modified, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (final NoSuchFileException e) {
            return new Snapshot(-1, null);
        } catch (final IOException e) {
            // Unreadable: keep what is in force; the next poll tries again.
            log.warn("mapping rules {} unreadable: {}", file, e.toString());
            return null;
        }
    }
}
