package io.cellwatch.extension.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one tenant's numbers and names are shown: metrics by name and the singular display names of levels
 * ({@code packs} → "Pack"). Immutable.
 */
public record DisplayTable(Map<String, MetricDisplay> metrics, Map<String, String> levels) {

    /** The built-in entries every tenant starts from. */
    public static final DisplayTable BUILT_IN = new DisplayTable(builtInMetrics(), builtInLevels());

    public DisplayTable {
        // In the order given (built-in first, then the file's): answers list them the same way every time.
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** This table with {@code overrides} laid over it: a metric named in both takes the override's fields first. */
    public DisplayTable with(final DisplayTable overrides) {
        final Map<String, MetricDisplay> merged = new LinkedHashMap<>(metrics);
        overrides.metrics.forEach((name, display) -> merged.merge(name, display, (base, over) -> over.over(base)));
        final Map<String, String> names = new LinkedHashMap<>(levels);
        names.putAll(overrides.levels);
        return new DisplayTable(merged, names);
    }

    private static Map<String, MetricDisplay> builtInMetrics() {
        final Map<String, MetricDisplay> m = new LinkedHashMap<>();
        m.put("voltage", new MetricDisplay("Voltage", "V", 3, 1.0, 2.5, 4.3));
        m.put("temperature", new MetricDisplay("Temperature", "°C", 1, 1.0, -20.0, 60.0));
        m.put("soc", new MetricDisplay("State of charge", "%", 1, 100.0, 0.0, 1.0));
        m.put("soh", new MetricDisplay("State of health", "%", 1, 100.0, 0.0, 1.0));
        m.put("current", new MetricDisplay("Current", "A", 2, 1.0, null, null));
        m.put("power", new MetricDisplay("Power", "kW", 2, 1.0, null, null));
        m.put("energy", new MetricDisplay("Energy", "kWh", 1, 1.0, null, null));
        return m;
    }

    private static Map<String, String> builtInLevels() {
        final Map<String, String> l = new LinkedHashMap<>();
        l.put("tenants", "Tenant");
        l.put("sites", "Site");
        l.put("plants", "Plant");
        l.put("racks", "Rack");
        l.put("strings", "String");
        l.put("modules", "Module");
        l.put("packs", "Pack");
        l.put("cells", "Cell");
        l.put("inverters", "Inverter");
        l.put("meters", "Meter");
        return l;
    }
}
