package io.cellwatch.mapping;

import io.cellwatch.contract.TopicFilter;
import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.contract.TopicResolver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mapping rules file line by line and collects every problem with its line, so an admin fixes them all at
 * once. Grammar (docs/interop.md): {@code map <filter>} or {@code sparkplug <group>} starts a block; inside a block,
 * one keyword per line ({@code tenant}, {@code node}, {@code metrics}, {@code ts}); {@code #} starts a comment at the
 * start of a line or after a blank. Single use; not thread-safe.
 */
final class MappingRulesParser {

    /** First levels a {@code map} filter may not take: cellwatch's own tree, broker topics and Sparkplug B. */
    static final Set<String> NOT_FOREIGN = Set.of(TopicResolver.ROOT, SparkplugTopics.NAMESPACE);

    private final Path file;
    private final List<FileProblem> problems = new ArrayList<>();
    private final List<TopicRule> topics = new ArrayList<>();
    private final List<SparkplugGroup> groups = new ArrayList<>();
    private final Map<String, Integer> filterLines = new HashMap<>();
    private final Map<String, Integer> groupLines = new HashMap<>();
    private Block block;

    MappingRulesParser(final Path file) {
        this.file = file;
    }

    /** The block being read: its header and the keywords seen. */
    private static final class Block {
        final int line;
        final String filter;
        final String group;
        final Set<String> seen = new HashSet<>();
        /** False when the header was bad: the block's lines are still checked, the block is not kept. */
        boolean valid = true;
        IdTemplate tenant;
        List<String> levelNames = List.of();
        List<IdTemplate> ids = List.of();
        boolean hasNode;
        List<String> metrics = List.of();
        String ts;
        int wildcards;

        Block(final int line, final String filter, final String group) {
            this.line = line;
            this.filter = filter;
            this.group = group;
            this.wildcards = filter == null ? 0 : (int) List.of(filter.split("/", -1)).stream()
                    .filter("+"::equals).count();
        }
    }

    MappingRules parse(final String text) throws InvalidFileException {
        final String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String[] words = words(lines[i]);
            if (words.length > 0) {
                line(i + 1, words);
            }
        }
        close();
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        return new MappingRules(topics, groups);
    }

    private static String[] words(final String line) {
        int end = line.length();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                end = i;
                break;
            }
        }
        final String content = line.substring(0, end).strip();
        return content.isEmpty() ? new String[0] : content.split("\\s+");
    }

    private void line(final int line, final String[] words) {
        final String keyword = words[0];
        switch (keyword) {
            case "map" -> {
                close();
                if (one(line, words, "'map' takes one topic filter, e.g. 'map factory/machine/+/telemetry'")) {
                    startMap(line, words[1]);
                }
            }
            case "sparkplug" -> {
                close();
                if (one(line, words, "'sparkplug' takes one Sparkplug B group id, e.g. 'sparkplug plant-a'")) {
                    startSparkplug(line, words[1]);
                }
            }
            case "tenant", "node", "metrics", "ts" -> inBlock(line, keyword, words);
            default -> problem(line, "unknown keyword '" + keyword
                    + "' (expected map, sparkplug, tenant, node, metrics or ts)");
        }
    }

    private boolean one(final int line, final String[] words, final String usage) {
        if (words.length != 2) {
            problem(line, usage);
            return false;
        }
        return true;
    }

    private void startMap(final int line, final String filter) {
        final String syntax = filterProblem(filter);
        if (syntax != null) {
            problem(line, "topic filter '" + filter + "': " + syntax);
        } else if (filterLines.containsKey(filter)) {
            problem(line, "topic filter '" + filter + "' is already mapped at line " + filterLines.get(filter));
        } else {
            filterLines.put(filter, line);
            block = new Block(line, filter, null);
            return;
        }
        block = new Block(line, filter, null);
        block.valid = false;
    }

    private void startSparkplug(final int line, final String group) {
        if (!SparkplugTopics.isValidId(group)) {
            problem(line, "Sparkplug group id '" + group + "' may not be empty or hold '/', '+' or '#'");
        } else if (groupLines.containsKey(group)) {
            problem(line, "Sparkplug group '" + group + "' is already mapped at line " + groupLines.get(group));
        } else {
            groupLines.put(group, line);
            block = new Block(line, null, group);
            return;
        }
        block = new Block(line, null, group);
        block.valid = false;
    }

    private void inBlock(final int line, final String keyword, final String[] words) {
        if (block == null) {
            problem(line, "'" + keyword + "' belongs in a 'map' or 'sparkplug' block");
            return;
        }
        if (block.group != null && !keyword.equals("tenant")) {
            problem(line, "a 'sparkplug' block takes only 'tenant'; '" + keyword + "' belongs in a 'map' block");
            return;
        }
        if (!block.seen.add(keyword)) {
            problem(line, "'" + keyword + "' appears twice in the block starting at line " + block.line);
            return;
        }
        if (words.length < 2) {
            problem(line, "'" + keyword + "' needs a value");
            return;
        }
        switch (keyword) {
            case "tenant" -> tenant(line, words);
            case "node" -> node(line, words);
            case "metrics" -> metrics(line, words);
            default -> ts(line, words);
        }
    }

    private void tenant(final int line, final String[] words) {
        if (words.length != 2) {
            problem(line, "'tenant' takes one tenant id");
            return;
        }
        if (words[1].equals(TopicResolver.INTERNAL_TENANT)) {
            problem(line, "tenant id '" + words[1] + "' is reserved for cellwatch's synthetic probe");
            return;
        }
        if (block.group != null) {
            if (levelProblem(line, "tenant id", words[1])) {
                block.tenant = IdTemplate.literal(words[1]);
            }
            return;
        }
        block.tenant = template(line, "tenant", words[1]);
    }

    private void node(final int line, final String[] words) {
        if (words.length != 2) {
            problem(line, "'node' takes one path of level/id pairs, e.g. 'plants/p1/machines/{machine_id|+1}'");
            return;
        }
        final String[] parts = words[1].split("/", -1);
        if (parts.length % 2 != 0) {
            problem(line, "node '" + words[1] + "' has " + parts.length
                    + " levels; it needs level/id pairs (an even number)");
            return;
        }
        final List<String> names = new ArrayList<>();
        final List<IdTemplate> ids = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < parts.length; i += 2) {
            final String name = parts[i];
            if (!levelProblem(line, "level name", name)) {
                ok = false;
            } else if (TopicResolver.RESERVED_NAMES.contains(name)) {
                problem(line, "level name '" + name + "' is reserved " + TopicResolver.RESERVED_NAMES);
                ok = false;
            }
            final IdTemplate id = template(line, "id of level '" + name + "'", parts[i + 1]);
            ok &= id != null;
            names.add(name);
            ids.add(id);
        }
        if (ok) {
            block.hasNode = true;
            block.levelNames = names;
            block.ids = ids;
        }
    }

    private void metrics(final int line, final String[] words) {
        final List<String> names = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            final String name = words[i];
            try {
                TopicResolver.checkMetricName(name);
            } catch (final Rejection e) {
                problem(line, "metric '" + name + "': " + e.getMessage());
                continue;
            }
            if (names.contains(name)) {
                problem(line, "metric '" + name + "' is listed twice");
                continue;
            }
            names.add(name);
        }
        block.metrics = names;
    }

    private void ts(final int line, final String[] words) {
        if (words.length != 2) {
            problem(line, "'ts' takes one payload field name, e.g. 'ts timestamp'");
            return;
        }
        block.ts = words[1];
    }

    /** {@code acme}, {@code {machine_id}}, {@code {machine_id|+1}}. */
    private IdTemplate template(final int line, final String what, final String text) {
        if (!text.startsWith("{")) {
            return levelProblem(line, what, text) ? IdTemplate.literal(text) : null;
        }
        if (!text.endsWith("}") || text.length() < 3) {
            problem(line, what + " '" + text + "' is not a template like {field}, {+1} or {field|+1}");
            return null;
        }
        final List<IdSource> sources = new ArrayList<>();
        for (final String alternative : text.substring(1, text.length() - 1).split("\\|", -1)) {
            if (alternative.isEmpty() || alternative.contains("{") || alternative.contains("}")) {
                problem(line, what + " '" + text + "' has an empty or malformed alternative");
                return null;
            }
            if (alternative.startsWith("+")) {
                final int index = wildcardIndex(alternative.substring(1));
                if (index < 1 || index > block.wildcards) {
                    problem(line, what + " '" + text + "': '" + alternative + "' names no '+' level of '"
                            + block.filter + "' (it has " + block.wildcards + ")");
                    return null;
                }
                sources.add(IdSource.wildcard(index));
            } else {
                sources.add(IdSource.field(alternative));
            }
        }
        return new IdTemplate(null, sources);
    }

    private static int wildcardIndex(final String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private boolean levelProblem(final int line, final String what, final String level) {
        try {
            TopicBuilder.tenant(level);
            return true;
        } catch (final IllegalArgumentException e) {
            problem(line, what + " '" + level + "': " + e.getMessage().replace("topic level 2", "it"));
            return false;
        }
    }

    /** Ends the open block, reporting what it lacks. */
    private void close() {
        if (block == null) {
            return;
        }
        final Block b = block;
        block = null;
        if (!b.valid) {
            return;
        }
        final String head = b.group != null ? "'sparkplug " + b.group + "'" : "'map " + b.filter + "'";
        if (b.tenant == null) {
            if (!b.seen.contains("tenant")) {
                problem(b.line, head + " has no 'tenant'");
            }
            return;
        }
        if (b.group != null) {
            groups.add(new SparkplugGroup(b.line, b.group, b.tenant.literal()));
            return;
        }
        if (!b.hasNode) {
            if (!b.seen.contains("node")) {
                problem(b.line, head + " has no 'node' (where in the tenant's tree its samples go)");
            }
            return;
        }
        topics.add(new TopicRule(b.line, TopicFilter.mqtt(b.filter), b.tenant, b.levelNames, b.ids, b.metrics, b.ts));
    }

    /** Null if {@code filter} is a valid MQTT filter for foreign topics. */
    static String filterProblem(final String filter) {
        final String[] levels = filter.split("/", -1);
        if (levels[0].startsWith("$") || NOT_FOREIGN.contains(levels[0])) {
            return "may not start with '" + levels[0] + "' (cellwatch's own tree, Sparkplug B or broker topics)";
        }
        if (levels[0].equals("+") || levels[0].equals("#")) {
            return "may not start with a wildcard (it would reach cellwatch's own tree)";
        }
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].isEmpty()) {
                return "level " + (i + 1) + " is empty";
            }
        }
        return TopicFilter.mqttProblem(filter);
    }

    private void problem(final int line, final String message) {
        problems.add(new FileProblem(file, line, message));
    }
}
