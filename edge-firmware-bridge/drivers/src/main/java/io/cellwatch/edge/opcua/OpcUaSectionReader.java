package io.cellwatch.edge.opcua;

import io.cellwatch.edge.config.SectionReader;
import io.cellwatch.edge.config.SourceSection;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a {@code type = opcua} source section and the node map it names, every problem with its line. */
final class OpcUaSectionReader {

    private static final Map<String, String> POLICIES = Map.of("none", "none", "basic256sha256", "basic256sha256");
    private static final Map<String, String> MODES = Map.of("none", "none", "sign", "sign",
            "signandencrypt", "sign-and-encrypt");

    private OpcUaSectionReader() {
    }

    static OpcUaSettings read(final SourceSection section) {
        final SectionReader reader = section.reader();
        final String endpoint = reader.required("endpoint");
        if (endpoint != null) {
            try {
                final URI uri = new URI(endpoint);
                if (!"opc.tcp".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(endpoint, "not opc.tcp");
                }
            } catch (final URISyntaxException e) {
                reader.problem("endpoint", "= '" + endpoint + "': expected opc.tcp://HOST:PORT[/PATH]");
            }
        }
        final String policy = name(reader, "security-policy", "none", POLICIES,
                "none, basic256sha256 (or Basic256Sha256)");
        final String mode = name(reader, "security-mode", "none".equals(policy) ? "none" : "sign-and-encrypt", MODES,
                "none, sign, sign-and-encrypt (or None, Sign, SignAndEncrypt)");
        // A policy or mode that is not known is its own problem: no second one about how the two fit.
        if (policy != null && mode != null && policy.equals("none") != mode.equals("none")) {
            reader.problem("security-mode", "= '" + mode + "' does not fit security-policy '" + policy
                    + "': policy none goes with mode none, basic256sha256 with sign or sign-and-encrypt");
        }
        final String username = reader.string("username", null);
        final String password = reader.secret("password", "password-file");
        if (password != null && username == null) {
            reader.problem("username", "is required when a password is set");
        }
        final Path pki = reader.path("pki-dir", section.defaultPkiDir().toString());
        final boolean subscribe = reader.oneOf("mode", "subscribe", "subscribe", "poll").equals("subscribe");
        final Duration sampling = reader.duration("sampling-interval", Duration.ofSeconds(1), Duration.ofMillis(10));
        final Duration publishing = reader.duration("publishing-interval", sampling, Duration.ofMillis(10));
        final double deadband = decimal(reader, "deadband");
        final Duration timeout = reader.duration("timeout", Duration.ofSeconds(5), Duration.ofMillis(100));
        final Path map = reader.path("node-map", null);
        List<NodeSpec> nodes = List.of();
        if (map == null) {
            reader.required("node-map");
        } else {
            nodes = NodeMapParser.parse(map, reader.problems());
        }
        return new OpcUaSettings(section.name(), endpoint, policy == null ? "none" : policy,
                mode == null ? "none" : mode, username, password, pki, subscribe, sampling, publishing, deadband,
                section.pollInterval(), timeout, nodes, map);
    }

    /**
     * The configured name in the gateway's spelling, or null after reporting it: any case, with or without the
     * hyphens, so the OPC-UA specification's spelling ({@code Basic256Sha256}, {@code SignAndEncrypt}) is accepted.
     */
    private static String name(final SectionReader reader, final String key, final String fallback,
                               final Map<String, String> known, final String expected) {
        final String text = reader.string(key, fallback);
        final String name = known.get(text.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
        if (name == null) {
            reader.problem(key, "= '" + text + "': expected " + expected);
        }
        return name;
    }

    private static double decimal(final SectionReader reader, final String key) {
        final String text = reader.string(key, "0");
        try {
            final double value = Double.parseDouble(text);
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        reader.problem(key, "= '" + text + "': expected a number of at least 0 (absolute deadband in the value's unit)");
        return 0;
    }
}
