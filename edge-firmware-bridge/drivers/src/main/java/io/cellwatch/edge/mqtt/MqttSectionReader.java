package io.cellwatch.edge.mqtt;

import io.cellwatch.contract.TopicFilter;
import io.cellwatch.edge.config.ConfFile;
import io.cellwatch.edge.config.SectionReader;
import io.cellwatch.edge.config.SourceSection;
import io.cellwatch.edge.mapping.MappingRule;
import io.cellwatch.edge.source.NodePath;
import io.cellwatch.mapping.IdSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@code type = mqtt} source section and its {@code rule.NAME.*} mapping rules, every problem with its line. */
final class MqttSectionReader {

    private static final Set<String> RULE_FIELDS = Set.of("filter", "path", "id", "metrics", "ts");

    private MqttSectionReader() {
    }

    static MqttSourceSettings read(final SourceSection section) {
        final SectionReader reader = section.reader();
        final String gatewayClientId = section.gatewayClientId();
        final URI uri = reader.uri("url");
        final String username = reader.string("username", null);
        final String password = reader.secret("password", "password-file");
        if (password != null && username == null) {
            reader.problem("username", "is required when a password is set");
        }
        final Path trustStore = reader.path("trust-store", null);
        final String trustStorePassword = reader.string("trust-store-password", null);
        if (trustStore != null && !Files.isReadable(trustStore)) {
            reader.problem("trust-store", "cannot be read: " + trustStore);
        }
        final String clientId = reader.string("client-id",
                (gatewayClientId == null ? "gateway" : gatewayClientId) + "-" + section.name());
        final int qos = reader.integer("qos", 1, 0, 1);
        final List<MappingRule> rules = rules(reader);
        if (rules.isEmpty() && reader.withPrefix("rule.").isEmpty()) {
            reader.problem("type", "= mqtt needs at least one rule: 'rule.NAME.filter = TOPIC-FILTER' and"
                    + " 'rule.NAME.path = LEVEL/{id}…'");
        }
        if (uri == null) {
            return null;
        }
        final boolean tls = "ssl".equals(uri.getScheme());
        if (trustStore != null && !tls) {
            reader.problem("trust-store", "is set but url is not ssl://");
        }
        final int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
        return new MqttSourceSettings(section.name(), uri.getHost(), port, tls, username, password, trustStore,
                trustStorePassword, clientId, qos, rules);
    }

    private static List<MappingRule> rules(final SectionReader reader) {
        final Map<String, Map<String, ConfFile.Entry>> byRule = new LinkedHashMap<>();
        for (final ConfFile.Entry entry : reader.withPrefix("rule.")) {
            final String rest = entry.key().substring("rule.".length());
            final int dot = rest.lastIndexOf('.');
            final String field = dot < 0 ? "" : rest.substring(dot + 1);
            if (dot <= 0 || !RULE_FIELDS.contains(field)) {
                reader.problemAt(entry, "is not rule.NAME.FIELD with FIELD one of filter, path, id, metrics, ts");
                continue;
            }
            byRule.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>()).put(field, entry);
        }
        final List<MappingRule> rules = new ArrayList<>();
        byRule.forEach((name, fields) -> {
            final MappingRule rule = rule(reader, name, fields);
            if (rule != null) {
                rules.add(rule);
            }
        });
        return rules;
    }

    private static MappingRule rule(final SectionReader reader, final String name,
                                    final Map<String, ConfFile.Entry> fields) {
        final ConfFile.Entry filter = fields.get("filter");
        final ConfFile.Entry path = fields.get("path");
        final ConfFile.Entry any = fields.values().iterator().next();
        boolean ok = true;
        if (filter == null || path == null) {
            reader.problemAt(any, "rule '" + name + "' needs rule." + name + ".filter and rule." + name + ".path");
            return null;
        }
        if (TopicFilter.mqttProblem(filter.value()) != null) {
            reader.problemAt(filter, "= '" + filter.value() + "': not an MQTT topic filter (levels split by /,"
                    + " + for one level, # last for the rest)");
            ok = false;
        }
        try {
            NodePath.check(path.value().replace(MappingRule.ID, "x"), null);
            if (!wholeIdLevels(path.value())) {
                reader.problemAt(path, "= '" + path.value() + "': {id} must be a whole id, e.g. sensors/{id}");
                ok = false;
            }
        } catch (final IllegalArgumentException e) {
            reader.problemAt(path, "= '" + path.value() + "': " + e.getMessage());
            ok = false;
        }
        final List<IdSource> ids = new ArrayList<>();
        final ConfFile.Entry id = fields.get("id");
        if (id != null) {
            for (final String alternative : id.value().split("\\|")) {
                try {
                    ids.add(MappingRule.idSource(alternative));
                } catch (final IllegalArgumentException e) {
                    reader.problemAt(id, "= '" + id.value() + "': " + e.getMessage()
                            + "; write e.g. payload.sensor_id | topic.2");
                    ok = false;
                }
            }
        }
        if (path.value().contains(MappingRule.ID) && id == null) {
            reader.problemAt(path, "uses {id} but rule." + name + ".id is not set (e.g. payload.sensor_id | topic.2)");
            ok = false;
        }
        final List<String> metrics = new ArrayList<>();
        final ConfFile.Entry metricsEntry = fields.get("metrics");
        if (metricsEntry != null && !metricsEntry.value().equals("*")) {
            for (final String metric : metricsEntry.value().split(",")) {
                try {
                    NodePath.check("", metric.strip());
                    metrics.add(metric.strip());
                } catch (final IllegalArgumentException e) {
                    reader.problemAt(metricsEntry, "= '" + metricsEntry.value() + "': metric '" + metric.strip()
                            + "': " + e.getMessage());
                    ok = false;
                }
            }
        }
        final ConfFile.Entry ts = fields.get("ts");
        if (ts != null && ts.value().isBlank()) {
            reader.problemAt(ts, "is empty: name the payload field with the device time, or leave the key out");
            ok = false;
        }
        return ok ? new MappingRule(name, filter.line(), filter.value(), path.value(), ids, metrics,
                ts == null ? null : ts.value()) : null;
    }

    /** True if every {@code {id}} in {@code path} ((level, id) pairs) is a whole id level, never part of one. */
    private static boolean wholeIdLevels(final String path) {
        final String[] levels = path.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].contains(MappingRule.ID) && (i % 2 == 0 || !levels[i].equals(MappingRule.ID))) {
                return false;
            }
        }
        return true;
    }
}
