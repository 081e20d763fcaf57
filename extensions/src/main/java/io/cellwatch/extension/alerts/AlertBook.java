package io.cellwatch.extension.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;

/**
 * Every alert's lifecycle: raised → acknowledged (by whom) → cleared, raised again when its condition returns (or,
 * acknowledged but still active, after the rule's re-raise time). Changes happen on the alert thread only and each
 * one is told to the listeners there, in order; reads ({@link #alerts}, {@link #get}) work from any thread on
 * immutable snapshots. Cleared alerts are kept, the oldest dropped past {@value #KEEP_CLEARED} per tenant.
 */
public final class AlertBook {

    private static final Logger log = LoggerFactory.getLogger(AlertBook.class);
    static final int KEEP_CLEARED = 2_000;

    private final ConcurrentHashMap<String, Alert> alerts = new ConcurrentHashMap<>();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener told of every change, on the alert thread. */
    public void onChange(final Consumer<Alert> listener) {
        listeners.add(listener);
    }

    /** The id of the alert of {@code rule} about {@code subject}: the rule's name and a hash of the subject. */
    static String idOf(final AlertRule rule, final String subject) {
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return rule.name() + "~" + HexFormat.of().formatHex(hash, 0, 5);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The alert {@code id} of {@code tenant}, if any. */
    public Optional<Alert> get(final String tenant, final String id) {
        return Optional.ofNullable(alerts.get(tenant + "/" + id));
    }

    /** Every alert {@code filter} accepts, most recent change first. */
    public List<Alert> alerts(final Predicate<Alert> filter) {
        final List<Alert> out = new ArrayList<>();
        for (final Alert alert : alerts.values()) {
            if (filter.test(alert)) {
                out.add(alert);
            }
        }
        out.sort(Comparator.comparingLong(Alert::at).reversed().thenComparing(Alert::id));
        return out;
    }

    /** Raises the alert of {@code rule} on {@code subject} (alert thread). */
    void raise(final AlertRule rule, final String id, final String subject, final double value, final long now) {
        final Alert previous = alerts.get(rule.tenant() + "/" + id);
        if (previous != null && previous.state().active()) {
            return;
        }
        final int raises = previous == null ? 1 : previous.raises() + 1;
        change(new Alert(rule, id, subject, AlertState.RAISED, value, now, 0, null, 0, raises, now));
        if (previous == null) {
            pruneCleared(rule.tenant());
        }
    }

    /** Clears the alert if it is active (alert thread). */
    void clear(final String tenant, final String id, final double value, final long now) {
        final Alert previous = alerts.get(tenant + "/" + id);
        if (previous == null || !previous.state().active()) {
            return;
        }
        change(new Alert(previous.rule(), id, previous.subject(), AlertState.CLEARED, value, previous.raisedAt(),
                previous.acknowledgedAt(), previous.acknowledgedBy(), now, previous.raises(), now));
    }

    /** Raises an acknowledged alert again: its condition still holds after the re-raise time (alert thread). */
    void reraise(final String tenant, final String id, final double value, final long now) {
        final Alert previous = alerts.get(tenant + "/" + id);
        if (previous == null || previous.state() != AlertState.ACKNOWLEDGED) {
            return;
        }
        change(new Alert(previous.rule(), id, previous.subject(), AlertState.RAISED, value, now, 0, null, 0,
                previous.raises() + 1, now));
    }

    /** {@code user} acknowledges alert {@code id} of {@code tenant} (alert thread). */
    Acknowledgement acknowledge(final String tenant, final String id, final String user, final long now) {
        final Alert previous = alerts.get(tenant + "/" + id);
        if (previous == null) {
            return new Acknowledgement(Acknowledgement.Outcome.UNKNOWN, Optional.empty());
        }
        if (previous.state() != AlertState.RAISED) {
            return new Acknowledgement(Acknowledgement.Outcome.NOT_RAISED, Optional.of(previous));
        }
        final Alert acked = new Alert(previous.rule(), id, previous.subject(), AlertState.ACKNOWLEDGED,
                previous.value(), previous.raisedAt(), now, user, 0, previous.raises(), now);
        change(acked);
        return new Acknowledgement(Acknowledgement.Outcome.ACKNOWLEDGED, Optional.of(acked));
    }

    private void change(final Alert alert) {
        alerts.put(alert.tenant() + "/" + alert.id(), alert);
        for (final Consumer<Alert> listener : listeners) {
            try {
                listener.accept(alert);
            } catch (final RuntimeException e) {
                log.error("an alert listener failed on {} {}", alert.tenant(), alert.id(), e);
            }
        }
    }

    private void pruneCleared(final String tenant) {
        final List<Alert> cleared = alerts(a -> a.tenant().equals(tenant) && a.state() == AlertState.CLEARED);
        for (int i = KEEP_CLEARED; i < cleared.size(); i++) {
            final Alert old = cleared.get(i);
            alerts.remove(old.tenant() + "/" + old.id(), old);
        }
    }
}
