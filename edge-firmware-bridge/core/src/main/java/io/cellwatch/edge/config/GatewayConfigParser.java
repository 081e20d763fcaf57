package io.cellwatch.edge.config;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.modbus.RegisterMapParser;
import io.cellwatch.edge.modbus.RegisterSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates a gateway config file and the register maps it names. Either the whole gateway is valid or
 * {@link #parse} throws with every problem found: a bad register map never starts half a gateway.
 */
public final class GatewayConfigParser {

    private GatewayConfigParser() {
    }

    public static GatewayConfig parse(final Path file) throws ConfigException {
        final ConfigProblems problems = new ConfigProblems();
        final ConfFile conf = ConfFile.read(file, problems);
        final SectionReader top = new SectionReader(conf, conf.top(), problems);

        final String tenant = level(top, "tenant");
        final String plant = level(top, "plant");
        final String clientId = level(top, "client-id");
        final BrokerSettings broker = broker(top, file);
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
            final SourceSettings source = source(conf, section, problems, clientId, pki);
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

    private static BrokerSettings broker(final SectionReader top, final Path file) {
        final URI uri = top.uri("broker.url");
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
        if (uri == null) {
            return null;
        }
        final boolean tls = "ssl".equals(uri.getScheme());
        if (trustStore != null && !tls) {
            top.problem("broker.trust-store", "is set but broker.url is not ssl://");
        }
        final int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
        return new BrokerSettings(uri.getHost(), port, tls, username, password, trustStore, trustStorePassword,
                expiry);
    }

    private static GpioSettings gpio(final ConfFile.Section section, final SectionReader reader, final Duration poll) {
        final String pull = reader.string("pull", "down");
        if (!List.of("down", "up", "off").contains(pull)) {
            reader.problem("pull", "= '" + pull + "': expected down, up or off");
        }
        final Duration debounce = reader.duration("debounce", Duration.ofMillis(10), Duration.ZERO);
        final List<GpioSettings.Input> inputs = new ArrayList<>();
        final List<ConfFile.Entry> pins = reader.withPrefix("pin.");
        for (final ConfFile.Entry entry : pins) {
            final String metric = entry.key().substring("pin.".length());
            final String[] words = entry.value().split("\\s+");
            try {
                final int pin = Integer.parseInt(words[0]);
                if (pin < 0 || pin > 53 || words.length > 2) {
                    throw new IllegalArgumentException("expected 'BCM-PIN [path]' with a pin from 0 to 53");
                }
                final String path = words.length == 2 ? words[1] : "";
                TopicBuilder node = TopicBuilder.tenant("t");
                final String[] levels = path.isEmpty() ? new String[0] : path.split("/", -1);
                if (levels.length % 2 != 0) {
                    throw new IllegalArgumentException("path '" + path + "' needs (level, id) pairs");
                }
                for (int i = 0; i < levels.length; i += 2) {
                    node = node.child(levels[i], levels[i + 1]);
                }
                node.metric(metric);
                inputs.add(new GpioSettings.Input(metric, pin, path));
            } catch (final NumberFormatException e) {
                reader.problem(entry.key(), "= '" + entry.value() + "': expected 'BCM-PIN [path]'");
            } catch (final IllegalArgumentException e) {
                reader.problem(entry.key(), "= '" + entry.value() + "': "
                        + e.getMessage().replaceAll("topic level \\d+", "a level"));
            }
        }
        if (pins.isEmpty()) {
            reader.problem("type", "= gpio needs at least one 'pin.METRIC = BCM-PIN [path]'");
        }
        return new GpioSettings(section.name(), poll, pull, debounce, inputs);
    }

    private static List<RegisterSpec> registers(final SectionReader reader, final ConfigProblems problems) {
        final Path map = reader.path("register-map", null);
        if (map == null) {
            reader.required("register-map");
            return List.of();
        }
        return RegisterMapParser.parse(map, problems);
    }

    private static String oneOf(final SectionReader reader, final String key, final String fallback,
                                final String... allowed) {
        final String value = reader.string(key, fallback);
        if (!List.of(allowed).contains(value)) {
            reader.problem(key, "= '" + value + "': expected " + String.join(", ", allowed));
        }
        return value;
    }

    private static SourceSettings source(final ConfFile conf, final ConfFile.Section section,
                                         final ConfigProblems problems, final String clientId, final Path pki) {
        final SectionReader reader = new SectionReader(conf, section, problems);
        final String type = reader.required("type");
        final Duration poll = reader.duration("poll-interval", Duration.ofSeconds(1), Duration.ofMillis(10));
        SourceSettings source = null;
        if ("modbus-tcp".equals(type)) {
            final String host = reader.required("host");
            final int port = reader.integer("port", 502, 1, 65_535);
            final Duration timeout = reader.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10));
            final int retries = reader.integer("retries", 1, 0, 10);
            final int maxGap = reader.integer("max-gap", 0, 0, 100);
            source = new ModbusTcpSettings(section.name(), host, port, timeout, retries, poll, maxGap,
                    registers(reader, problems));
        } else if ("modbus-rtu".equals(type)) {
            final String port = reader.required("serial-port");
            final int baud = reader.integer("baud", 9600, 300, 4_000_000);
            final String parity = oneOf(reader, "parity", "even", "none", "even", "odd");
            final int dataBits = reader.integer("data-bits", 8, 5, 8);
            final String stopBits = oneOf(reader, "stop-bits", "1", "1", "1.5", "2");
            final Duration timeout = reader.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10));
            final int retries = reader.integer("retries", 1, 0, 10);
            final int maxGap = reader.integer("max-gap", 0, 0, 100);
            source = new ModbusRtuSettings(section.name(), port, baud, parity, dataBits, stopBits, timeout, retries,
                    poll, maxGap, registers(reader, problems));
        } else if ("simulator".equals(type)) {
            source = new SimulatorSettings(section.name(), poll,
                    reader.integer("racks", 1, 1, 64), reader.integer("packs", 2, 1, 64),
                    reader.integer("cells", 16, 1, 1024), reader.integer("seed", 42, 0, Integer.MAX_VALUE));
        } else if ("gpio".equals(type)) {
            source = gpio(section, reader, reader.string("poll-interval", null) == null ? Duration.ofSeconds(10) : poll);
        } else if ("opcua".equals(type)) {
            source = OpcUaSectionReader.read(section, reader, poll, pki, problems);
        } else if ("mqtt".equals(type)) {
            source = MqttSectionReader.read(section, reader, clientId);
        } else if (type != null) {
            reader.problem("type", "= '" + type + "': expected modbus-tcp, modbus-rtu, gpio, simulator, opcua or mqtt");
        }
        reader.rejectUnknownKeys();
        return source;
    }
}
