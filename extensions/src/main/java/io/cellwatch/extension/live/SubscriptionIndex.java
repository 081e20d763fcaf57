package io.cellwatch.extension.live;

import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live subscriptions indexed by watched path: a changed series is routed to the paths among its ancestors (and its own
 * key) that someone watches, in O(depth) per series, whatever the number of subscribers.
 * <p>
 * A subscriber watching nested paths ({@code tenants/a} and {@code tenants/a/plants/p1}) is registered on the outer
 * one only, so it never gets a value twice in one flush; unwatching the outer one registers the inner one again.
 * Watcher arrays are replaced, never changed in place, so a change made while a flush iterates them applies from the
 * next flush. Not thread-safe: owned by the fan-out thread.
 */
final class SubscriptionIndex {

    private static final LiveSubscriber[] NONE = new LiveSubscriber[0];

    private final Map<String, LiveSubscriber[]> watchers = new HashMap<>();
    private final Map<LiveSubscriber, Set<String>> pathsOf = new HashMap<>();

    /** Registers {@code subscriber} on {@code path} (a node path, a series key, or {@code ""} for everything). */
    void watch(final LiveSubscriber subscriber, final String path) {
        final Set<String> paths = pathsOf.computeIfAbsent(subscriber, s -> new HashSet<>());
        final Set<String> before = outermost(paths);
        if (paths.add(path)) {
            reindex(subscriber, before, outermost(paths));
        }
    }

    /** Removes the registration of {@code subscriber} on {@code path}, if any. */
    void unwatch(final LiveSubscriber subscriber, final String path) {
        final Set<String> paths = pathsOf.get(subscriber);
        if (paths == null) {
            return;
        }
        final Set<String> before = outermost(paths);
        if (paths.remove(path)) {
            reindex(subscriber, before, outermost(paths));
        }
        if (paths.isEmpty()) {
            pathsOf.remove(subscriber);
        }
    }

    /** Removes every registration of {@code subscriber}. */
    void unwatchAll(final LiveSubscriber subscriber) {
        final Set<String> paths = pathsOf.remove(subscriber);
        if (paths != null) {
            reindex(subscriber, outermost(paths), Set.of());
        }
    }

    /** Whether {@code subscriber} watches {@code series} through any of its paths. */
    boolean watches(final LiveSubscriber subscriber, final Series series) {
        final Set<String> paths = pathsOf.get(subscriber);
        if (paths == null) {
            return false;
        }
        for (final String path : paths) {
            if (series.isUnder(path)) {
                return true;
            }
        }
        return false;
    }

    /** The subscribers registered on exactly {@code path}; a snapshot, safe to iterate while the index changes. */
    LiveSubscriber[] watchers(final String path) {
        return watchers.getOrDefault(path, NONE);
    }

    /** Number of subscribers with at least one registration. */
    int subscriberCount() {
        return pathsOf.size();
    }

    boolean isEmpty() {
        return watchers.isEmpty();
    }

    /** Whether anyone watches a path outside the internal tenant of the synthetic probe. */
    boolean watchesOutsideInternalTenant() {
        for (final String path : watchers.keySet()) {
            if (!TopicResolver.isInternal(path)) {
                return true;
            }
        }
        return false;
    }

    /** Every subscriber with at least one registration. */
    List<LiveSubscriber> subscribers() {
        return new ArrayList<>(pathsOf.keySet());
    }

    /** Groups {@code changed} by the watched paths they lie under, in order of first appearance. */
    Map<String, List<Series>> route(final Collection<Series> changed) {
        final Map<String, List<Series>> routed = new LinkedHashMap<>();
        if (watchers.isEmpty()) {
            return routed;
        }
        for (final Series series : changed) {
            for (final String prefix : series.node().prefixes()) {
                add(routed, prefix, series);
            }
            add(routed, series.key(), series);
        }
        return routed;
    }

    private void add(final Map<String, List<Series>> routed, final String path, final Series series) {
        if (watchers.containsKey(path)) {
            routed.computeIfAbsent(path, p -> new ArrayList<>()).add(series);
        }
    }

    private void reindex(final LiveSubscriber subscriber, final Set<String> before, final Set<String> after) {
        for (final String path : before) {
            if (!after.contains(path)) {
                final LiveSubscriber[] current = watchers(path);
                final LiveSubscriber[] next = Arrays.stream(current).filter(s -> s != subscriber)
                        .toArray(LiveSubscriber[]::new);
                if (next.length == 0) {
                    watchers.remove(path);
                } else {
                    watchers.put(path, next);
                }
            }
        }
        for (final String path : after) {
            if (!before.contains(path)) {
                final LiveSubscriber[] current = watchers(path);
                final LiveSubscriber[] next = Arrays.copyOf(current, current.length + 1);
                next[current.length] = subscriber;
                watchers.put(path, next);
            }
        }
    }

    /** The paths of one subscriber that are not inside another of its paths. */
    private static Set<String> outermost(final Set<String> paths) {
        final Set<String> out = new HashSet<>();
        for (final String path : paths) {
            boolean nested = false;
            for (final String other : paths) {
                if (!other.equals(path) && (other.isEmpty() || path.startsWith(other + "/"))) {
                    nested = true;
                    break;
                }
            }
            if (!nested) {
                out.add(path);
            }
        }
        return out;
    }
}
