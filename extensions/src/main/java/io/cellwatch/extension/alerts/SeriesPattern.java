package io.cellwatch.extension.alerts;

import java.util.List;

/**
 * A pattern over series keys below a tenant, in MQTT filter style: {@code plants/+/racks/+/cells/+/temperature}
 * ({@code +} one level, {@code #} as the last level: any rest). Immutable.
 *
 * @param text   the pattern as written
 * @param levels its levels
 */
public record SeriesPattern(String text, List<String> levels) {

    public SeriesPattern {
        levels = List.copyOf(levels);
    }

    static SeriesPattern of(final String text) {
        return new SeriesPattern(text, List.of(text.split("/", -1)));
    }

    /**
     * Whether the series whose key is split into {@code key} matches; {@code key[0]} is {@code tenants},
     * {@code key[1]} the tenant, the pattern applies from {@code key[2]}.
     */
    boolean matches(final String[] key) {
        final int n = levels.size();
        for (int i = 0; i < n; i++) {
            final String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            final int k = i + 2;
            if (k >= key.length || !(level.equals("+") || level.equals(key[k]))) {
                return false;
            }
        }
        return n + 2 == key.length;
    }
}
