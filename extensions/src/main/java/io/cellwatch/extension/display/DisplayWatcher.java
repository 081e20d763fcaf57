package io.cellwatch.extension.display;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.files.StableChangePoller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the display overrides in step with their file, as the alert rules are kept: polls it on the
 * {@code cellwatch-display} thread (a {@link StableChangePoller}), loads a change once it has been stable for one poll,
 * and keeps the last good overrides on a bad edit, logging and counting each bad version once. A missing file means
 * no overrides. A file over {@link DisplayFile#MAX_BYTES} is not read at all. Thread-safe; close is idempotent.
 */
public final class DisplayWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DisplayWatcher.class);

    private final Path file;
    private final Runnable rejected;
    private volatile DisplayFile current;
    private volatile InvalidFileException problem;
    private final StableChangePoller<Text> poller;

    /** The file as one poll saw it: its text, {@code null} for no file; or only its size when too large to read. */
    private record Text(String text, long tooLarge) {
    }

    private DisplayWatcher(final Path file, final Duration poll, final DisplayFile initial, final Text loaded,
                           final Runnable rejected) {
        this.file = file;
        this.current = initial;
        this.rejected = rejected;
        this.poller = new StableChangePoller<>("cellwatch-display", poll, loaded, () -> poll(file),
                changed -> reload(changed));
    }

    /**
     * Loads {@code file} now (throwing if it is invalid: the server does not start on a broken file) and watches it
     * every {@code poll}; {@code rejected} runs once per rejected edit.
     */
    public static DisplayWatcher start(final Path file, final Duration poll, final Runnable rejected)
            throws InvalidFileException {
        final Text text;
        try {
            text = read(file);
        } catch (final UncheckedIOException e) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "cannot read file: " + e.getCause())));
        }
        final DisplayFile initial = load(file, text);
        if (text.text() != null) {
            log.info("loaded display overrides of {} tenants from {}", initial.tenants().size(), file);
        }
        final DisplayWatcher watcher = new DisplayWatcher(file, poll, initial, text, rejected);
        watcher.poller.start();
        return watcher;
    }

    /** The overrides in force: the last that loaded. */
    public DisplayFile current() {
        return current;
    }

    /** What is wrong with the file's current content, if it was rejected (the previous overrides stay). */
    public Optional<InvalidFileException> problem() {
        return Optional.ofNullable(problem);
    }

    private static Text poll(final Path file) {
        try {
            return read(file);
        } catch (final UncheckedIOException e) {
            // Unreadable for a moment (permissions, a replace in progress): not "no file"; try the next poll.
            log.warn("cannot read display file {}: {}", file, e.getCause().toString());
            return null;
        }
    }

    private void reload(final Text text) {
        try {
            current = load(file, text);
            problem = null;
            log.info("applied changed display file {}: overrides of {} tenants", file, current.tenants().size());
        } catch (final InvalidFileException e) {
            problem = e;
            log.warn("rejected changed display file, keeping the previous one: {}", e.getMessage());
            rejected.run();
        } catch (final RuntimeException e) {
            log.error("applying the display file failed", e);
        }
    }

    private static DisplayFile load(final Path file, final Text text) throws InvalidFileException {
        if (text.tooLarge() > 0) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "file is larger than "
                    + DisplayFile.MAX_BYTES + " bytes (" + text.tooLarge() + ")")));
        }
        return text.text() == null ? DisplayFile.none(file) : DisplayFile.parse(file, text.text());
    }

    private static Text read(final Path file) {
        try {
            final long size = Files.size(file);
            if (size > DisplayFile.MAX_BYTES) {
                return new Text(null, size);
            }
            return new Text(Files.readString(file, StandardCharsets.UTF_8), 0);
        } catch (final NoSuchFileException e) {
            return new Text(null, 0);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.close();
    }
}
