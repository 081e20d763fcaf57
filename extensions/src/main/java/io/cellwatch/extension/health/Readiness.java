package io.cellwatch.extension.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Whether this server should take traffic: named checks, each ok or a problem in words that never name a tenant,
 * user or series (the answer is public). Thread-safe; checks are added at start-up and run at every question.
 */
public final class Readiness {

    /** One check: empty when fine, else what is wrong. */
    public interface Check extends Supplier<Optional<String>> {
    }

    /** The answer: ready only if every check passed; {@code checks} maps each name to "ok" or its problem. */
    public record Report(boolean ready, Map<String, String> checks) {
    }

    private record Named(String name, Check check) {
    }

    private final List<Named> checks = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** Adds a check, run in the order added. */
    public void add(final String name, final Check check) {
        checks.add(new Named(name, check));
    }

    /** From now on not ready: the server is shutting down. */
    public void stopping() {
        stopping = true;
    }

    /** Runs every check. */
    public Report report() {
        final Map<String, String> results = new LinkedHashMap<>();
        boolean ready = !stopping;
        if (stopping) {
            results.put("server", "stopping");
        }
        for (final Named named : checks) {
            Optional<String> problem;
            try {
                problem = named.check().get();
            } catch (final RuntimeException e) {
                problem = Optional.of("check failed: " + e.getClass().getSimpleName());
            }
            results.put(named.name(), problem.orElse("ok"));
            ready &= problem.isEmpty();
        }
        return new Report(ready, results);
    }
}
