package io.cellwatch.extension.security;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.cellwatch.acl.InvalidFileException;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.AccessPolicyWatcher;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.extension.config.AuthSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The access policy in force, read from the password and ACL files and reloaded when an admin edits them. An
 * invalid edit keeps the last good policy and is logged with file and line; users whose rights changed are reported
 * to every revocation listener (MQTT connections, HTTP sessions). Thread-safe.
 */
public final class AccessControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final AuthSettings settings;
    private final AccessPolicyWatcher watcher;
    private final List<Consumer<Set<String>>> revocationListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<AccessPolicy>> policyListeners = new CopyOnWriteArrayList<>();
    private final Counter reloads;
    private final LoginThrottle loginThrottle;

    private AccessControl(final AuthSettings settings, final Metrics metrics) throws InvalidFileException {
        this.settings = settings;
        this.loginThrottle = new LoginThrottle(settings.loginFailuresPerMinute(), Clock.systemUTC());
        metrics.counter("cellwatch_logins_delayed_total", "Password logins (HTTP and MQTT) the failed-login throttle"
                + " made wait before the check, for failures from their address or network", loginThrottle::delayedCount);
        metrics.counter("cellwatch_logins_throttle_refused_total", "Password logins refused at once: their address or"
                + " network already had attempts queued for the next 9 s", loginThrottle::refusedCount);
        metrics.counter("cellwatch_login_throttle_forgotten_total", "Addresses and networks the failed-login throttle"
                + " forgot to stay within its bound", loginThrottle::forgottenCount);
        metrics.gauge("cellwatch_login_throttle_tracked", "Addresses and networks with recent failed logins that the"
                + " throttle tracks (bounded)", loginThrottle::tracked);
        this.reloads = metrics.counter("cellwatch_acl_reloads_applied_total",
                "Password and ACL file changes applied since start");
        this.watcher = AccessPolicyWatcher.start(settings.passwordFile(), settings.aclFile(), POLL_INTERVAL,
                new AccessPolicyWatcher.Listener() {
                    @Override
                    public void applied(final AccessPolicy policy, final AccessPolicy previous) {
                        onApplied(policy, previous);
                    }

                    @Override
                    public void rejected(final InvalidFileException e) {
                        log.error("access files not reloaded, the previous rules stay in force: {}", e.getMessage());
                    }
                });
        metrics.counter("cellwatch_acl_reloads_failed_total",
                "Password and ACL file changes refused as invalid (the previous rules stay in force)",
                watcher::failedReloads);
        current().warnings().forEach(warning -> log.warn("access files: {}", warning));
    }

    /**
     * Loads the password and ACL files named in {@code settings} and starts watching them.
     *
     * @throws InvalidFileException if a file is missing or invalid, naming every problem's file and line
     */
    public static AccessControl start(final AuthSettings settings, final Metrics metrics)
            throws InvalidFileException {
        return new AccessControl(settings, metrics);
    }

    /** The policy in force now. */
    public AccessPolicy current() {
        return watcher.current();
    }

    /**
     * Who {@code user} is under {@code policy}: its principal, the anonymous one for {@code null} when anonymous
     * clients are let in, or empty.
     */
    public Optional<Principal> principal(final AccessPolicy policy, final String user) {
        if (user != null) {
            return policy.principal(user);
        }
        return allowsAnonymous() ? Optional.of(Principal.anonymous()) : Optional.empty();
    }

    /** The failed-login throttle shared by MQTT and HTTP logins: guessing over one counts for the other. */
    public LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    /** Whether MQTT clients without credentials are let in (with only the ACL's anonymous rules). */
    public boolean allowsAnonymous() {
        return settings.allowAnonymous();
    }

    /** Calls {@code listener} with the users whose rights changed, after every applied reload. */
    public void onRevoked(final Consumer<Set<String>> listener) {
        revocationListeners.add(listener);
    }

    /** Calls {@code listener} with the policy in force now and again after every applied reload (e.g. tenant limits). */
    public void onPolicy(final Consumer<AccessPolicy> listener) {
        policyListeners.add(listener);
        listener.accept(current());
    }

    private void onApplied(final AccessPolicy policy, final AccessPolicy previous) {
        reloads.inc();
        for (final Consumer<AccessPolicy> listener : policyListeners) {
            try {
                listener.accept(policy);
            } catch (final RuntimeException e) {
                log.error("could not apply the reloaded access files", e);
            }
        }
        final Set<String> changed = policy.changedUsers(previous);
        log.info("access files reloaded; users with changed rights: {}", changed.isEmpty() ? "none" : changed);
        policy.warnings().forEach(warning -> log.warn("access files: {}", warning));
        if (!changed.isEmpty()) {
            for (final Consumer<Set<String>> listener : revocationListeners) {
                try {
                    listener.accept(changed);
                } catch (final RuntimeException e) {
                    log.error("could not revoke the access of {}", changed, e);
                }
            }
        }
    }

    @Override
    public void close() {
        watcher.close();
    }
}
