package io.cellwatch.edge.config;

import io.cellwatch.contract.TopicBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a gateway config file and the map files its sources name. Either the whole gateway is valid or
 * {@link #parse} throws with every problem found: a bad register map never starts half a gateway. Each
 * {@code [source NAME]} section is read by the {@link SourceSectionReader} registered for its {@code type}.
 */
public final class GatewayConfigParser {

    private GatewayConfigParser() {
    }

    /**
     * @param types the section reader of every source type this program runs, by {@code type} value, in the order
     *              a bad {@code type} lists them
     */
    public static GatewayConfig parse(final Path file, final Map<String, SourceSectionReader> types)
            throws ConfigException {
        final ConfigProblems problems = new ConfigProblems();
        final ConfFile conf = ConfFile.read(file, problems);
        final SectionReader top = new SectionReader(conf, conf.top(), problems);

        final String tenant = level(top, "tenant");
        final String plant = level(top, "plant");
        final String clientId = level(top, "client-id");
        final BrokerSettings broker = broker(top);
        final Path defaultBuffer = file.toAbsolutePath().getParent().resolve("buffer");
        final BufferSettings buffer = new BufferSettings(
                top.path("buffer.dir", defaultBuffer.toString()),
                top.bytes("buffer.max-bytes", 1L << 30));
        final PublishSettings publish = new PublishSettings(
                top.integer("publish.max-in-flight", 100, 1, 65_535),
                top.integer("publish.drain-rate", 2000, 1, 1_000_000),
                top.duration("reconnect.initial-delay", Duration.ofSeconds(1), Duration.ofMillis(10)),
                top.duration("reconnect.max-delay", Duration.ofMinutes(2), Duration.ofMillis(10)));
        final InetSocketAddress metrics = metrics(top);
        if (publish.reconnectMax().compareTo(publish.reconnectInitial()) < 0) {
            top.problem("reconnect.max-delay", "must not be below reconnect.initial-delay");
        }
        top.rejectUnknownKeys();

        final List<SourceSettings> sources = new ArrayList<>();
        final Path pki = buffer.dir().toAbsolutePath().getParent().resolve("pki");
        for (final ConfFile.Section section : conf.sources()) {
            final SourceSettings source = source(conf, section, problems, clientId, pki, types);
            if (source != null) {
                sources.add(source);
            }
        }
        if (conf.sources().isEmpty() && problems.isEmpty()) {
            problems.field(file.toString(), "no [source NAME] section: a gateway without sources publishes nothing");
        }
        problems.throwIfAny();
        return new GatewayConfig(tenant, plant, clientId, broker, buffer, publish, metrics, sources);
    }

    /** {@code metrics.listen = HOST:PORT} (e.g. {@code 127.0.0.1:9464}); absent or {@code off}: no HTTP server. */
    private static InetSocketAddress metrics(final SectionReader top) {
        final String text = top.string("metrics.listen", "off");
        if (text.equals("off")) {
            return null;
        }
        final int colon = text.lastIndexOf(':');
        try {
            final int port = Integer.parseInt(text.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        } catch (final NumberFormatException e) {
            top.problem("metrics.listen", "= '" + text + "': expected HOST:PORT (e.g. 127.0.0.1:9464) or off");
            return null;
        }
    }

    private static String level(final SectionReader top, final String key) {
        final String value = top.required(key);
        if (value != null) {
            try {
                TopicBuilder.tenant(value);
            } catch (final IllegalArgumentException e) {
                top.problem(key, "= '" + value + "' cannot be a topic level: "
                        + e.getMessage().replace("topic level 2", "it"));
            }
        }
        return value;
    }

    private static BrokerSettings broker(final SectionReader top) {
        final List<URI> uris = top.uris("broker.url");
        final String username = top.string("broker.username", null);
        String password = top.string("broker.password", null);
        final Path passwordFile = top.path("broker.password-file", null);
        if (password != null && passwordFile != null) {
            top.problem("broker.password-file", "and 'broker.password' are both set; keep one");
        } else if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (final IOException e) {
                top.problem("broker.password-file", "cannot be read: " + passwordFile);
            }
        }
        if (password != null && username == null) {
            top.problem("broker.username", "is required when a password is set");
        }
        final Path trustStore = top.path("broker.trust-store", null);
        final String trustStorePassword = top.string("broker.trust-store-password", null);
        if (trustStore != null && !Files.isReadable(trustStore)) {
            top.problem("broker.trust-store", "cannot be read: " + trustStore);
        }
        final Duration expiry = top.duration("broker.session-expiry", Duration.ofDays(7), Duration.ofSeconds(1));
        if (uris.isEmpty()) {
            return null;
        }
        final boolean tls = "ssl".equals(uris.get(0).getScheme());
        if (trustStore != null && !tls) {
            top.problem("broker.trust-store", "is set but broker.url is not ssl://");
        }
        final List<BrokerEndpoint> endpoints = new ArrayList<>();
        for (final URI uri : uris) {
            final BrokerEndpoint endpoint = new BrokerEndpoint(uri.getHost(),
                    uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883);
            if (!uri.getScheme().equals(uris.get(0).getScheme())) {
                // One login and one trust store serve every broker: a mix is a typo, not a plan.
                top.problem("broker.url", "'" + uri + "' is not " + uris.get(0).getScheme()
                        + ":// like the first URL: every broker takes the same scheme");
            } else if (endpoints.contains(endpoint)) {
                top.problem("broker.url", "'" + uri + "' is listed twice");
            } else {
                endpoints.add(endpoint);
            }
        }
        return new BrokerSettings(endpoints, tls, username, password, trustStore, trustStorePassword, expiry);
    }

    private static SourceSettings source(final ConfFile conf, final ConfFile.Section section,
                                         final ConfigProblems problems, final String clientId, final Path pki,
                                         final Map<String, SourceSectionReader> types) {
        final SectionReader reader = new SectionReader(conf, section, problems);
        final String type = reader.required("type");
        final Duration poll = reader.duration("poll-interval", Duration.ofSeconds(1), Duration.ofMillis(10));
        SourceSettings source = null;
        final SourceSectionReader driver = type == null ? null : types.get(type);
        if (driver != null) {
            source = driver.read(new SourceSection(section.name(), reader, poll, clientId, pki));
        } else if (type != null) {
            reader.problem("type", "= '" + type + "': expected " + alternatives(types.keySet()));
        }
        reader.rejectUnknownKeys();
        return source;
    }

    /** {@code a, b or c}. */
    private static String alternatives(final Collection<String> names) {
        final List<String> list = List.copyOf(names);
        if (list.size() < 2) {
            return String.join("", list);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }
}
