package io.cellwatch.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mapping rules of test servers (docs/interop.md): factory machines and a Sparkplug B group, both into acme. */
public final class TestMapping {

    /** Where mapped factory machines go. */
    public static final String ACME_MACHINES = "tenants/acme/plants/factory/machines";
    /** The Sparkplug B group of acme. */
    public static final String ACME_GROUP = "acme-plant";

    public static final String RULES = """
            # Machines publish JSON to factory/machine/<id>/telemetry.
            map factory/machine/+/telemetry
                tenant  acme
                node    plants/factory/machines/{machine_id|+1}
                metrics temperature humidity vibration
                ts      timestamp

            sparkplug acme-plant
                tenant acme
            """;

    private TestMapping() {
    }

    /** Writes {@code mapping.rules} into {@code confDir}. */
    public static Path write(final Path confDir) throws IOException {
        Files.createDirectories(confDir);
        return Files.writeString(confDir.resolve("mapping.rules"), RULES, StandardCharsets.UTF_8);
    }
}
