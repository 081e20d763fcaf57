package io.cellwatch.edge.source;

import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.SourceSectionReader;
import io.cellwatch.edge.config.SourceSettings;

import java.time.Clock;

/**
 * One kind of source a gateway can run: the {@code type} of its config sections, how to read one, and how to open the
 * source it describes. Each driver declares its own; the program that runs the gateway lists the ones it brings.
 *
 * @param name     the {@code type = } value, e.g. {@code modbus-tcp}
 * @param settings the settings record its reader returns
 * @param reader   reads one section into {@code settings}
 * @param opener   opens a source from settings read by {@code reader}
 */
public record SourceType<S extends SourceSettings>(String name, Class<S> settings, SourceSectionReader reader,
                                                   Opener<S> opener) {

    /**
     * Opens a source; the source connects in {@link Source#start()}, not here. May throw what building its client
     * throws (e.g. a trust store that cannot be read), which stops the gateway's start.
     */
    @FunctionalInterface
    public interface Opener<S extends SourceSettings> {
        Source open(S settings, GatewayConfig gateway, Clock clock) throws Exception;
    }

    Source open(final SourceSettings any, final GatewayConfig gateway, final Clock clock) throws Exception {
        return opener.open(settings.cast(any), gateway, clock);
    }
}
