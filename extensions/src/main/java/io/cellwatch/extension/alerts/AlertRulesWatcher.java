package io.cellwatch.extension.alerts;

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
import java.util.function.Consumer;

/**
 * Keeps the alert rules in step with their file, as the ACL files are kept: polls its content on the
 * {@code cellwatch-alert-rules} thread (a {@link StableChangePoller}), loads a change once it has been stable for one poll (an editor that
 * truncates then writes is not caught halfway), hands good rules to the consumer and keeps the last good rules on a
 * bad edit, logging each bad version once. A missing file means no rules. Thread-safe; close is idempotent.
 */
public final class AlertRulesWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertRulesWatcher.class);

    private final Path file;
    private final Consumer<AlertRules> apply;
    private final Consumer<InvalidFileException> rejected;
    private volatile AlertRules current;
    private volatile InvalidFileException problem;
    private final StableChangePoller<Text> poller;

    /** The file's text as one poll saw it; {@code null} text for no file. */
    private record Text(String text) {
    }

    private AlertRulesWatcher(final Path file, final Duration poll, final AlertRules initial, final String loaded,
                              final Consumer<AlertRules> apply, final Consumer<InvalidFileException> rejected) {
        this.file = file;
        this.current = initial;
        this.apply = apply;
        this.rejected = rejected;
        this.poller = new StableChangePoller<>("cellwatch-alert-rules", poll, new Text(loaded), () -> poll(file),
                changed -> reload(changed.text()));
    }

    /**
     * Loads {@code file} now (throwing if it is invalid: the server does not start on broken rules), hands the rules
     * to {@code apply} and watches the file every {@code poll}.
     */
    public static AlertRulesWatcher start(final Path file, final Duration poll, final Consumer<AlertRules> apply,
                                          final Consumer<InvalidFileException> rejected)
            throws InvalidFileException {
        final String text;
        try {
            text = read(file);
        } catch (final UncheckedIOException e) {
            throw new InvalidFileException(List.of(new FileProblem(file, 0, "cannot read file: " + e.getCause())));
        }
        final AlertRules initial = load(file, text);
        if (text == null) {
            log.info("no alert rules file at {}: no alerts until one is written", file);
        } else {
            log.info("loaded {} alert rules of {} tenants from {}", initial.size(), initial.tenants().size(), file);
        }
        apply.accept(initial);
        final AlertRulesWatcher watcher = new AlertRulesWatcher(file, poll, initial, text, apply, rejected);
        watcher.poller.start();
        return watcher;
    }

    /** The rules in force: the last that loaded. */
    public AlertRules current() {
        return current;
    }

    /** What was wrong with the file's current content, if it was rejected (the previous rules stay in force). */
    public InvalidFileException problem() {
        return problem;
    }

    /** The file's text now, or {@code null} to skip this poll because it cannot be read for a moment. */
    private static Text poll(final Path file) {
        try {
            return new Text(read(file));
        } catch (final UncheckedIOException e) {
            // Unreadable for a moment (permissions, a replace in progress): not "no rules"; try the next poll.
            log.warn("cannot read alert rules {}: {}", file, e.getCause().toString());
            return null;
        }
    }

    private void reload(final String text) {
        try {
            final AlertRules rules = load(file, text);
            current = rules;
            problem = null;
            log.info("applied changed alert rules {}: {} rules of {} tenants", file, rules.size(),
                    rules.tenants().size());
            apply.accept(rules);
        } catch (final InvalidFileException e) {
            problem = e;
            log.warn("rejected changed alert rules, keeping the previous ones: {}", e.getMessage());
            rejected.accept(e);
        } catch (final RuntimeException e) {
            log.error("applying alert rules failed", e);
        }
    }

    private static AlertRules load(final Path file, final String text) throws InvalidFileException {
        return text == null ? AlertRules.none(file) : AlertRules.parse(file, text);
    }

    /** The file's text, or {@code null} if it does not exist. */
    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.close();
    }
}
