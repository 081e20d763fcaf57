package io.cellwatch.mapping;

import io.cellwatch.acl.InvalidFileException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A parsed mapping rules file: topic rules in file order (the first that matches a topic wins) and Sparkplug B
 * groups. Immutable and thread-safe.
 */
public final class MappingRules {

    private static final MappingRules NONE = new MappingRules(List.of(), List.of());

    private final List<TopicRule> topics;
    private final Map<String, SparkplugGroup> groups;
    private final ForeignOwnership ownership;

    MappingRules(final List<TopicRule> topics, final List<SparkplugGroup> groups) {
        this.topics = List.copyOf(topics);
        this.groups = groups.stream().collect(Collectors.toUnmodifiableMap(SparkplugGroup::group,
                Function.identity()));
        this.ownership = new ForeignOwnership(this.topics, groups);
    }

    /** No rules: every foreign topic stays plain MQTT. */
    public static MappingRules none() {
        return NONE;
    }

    /**
     * Parses {@code text} as the content of {@code file}.
     *
     * @throws InvalidFileException naming every problem's line
     */
    public static MappingRules parse(final Path file, final String text) throws InvalidFileException {
        return new MappingRulesParser(file).parse(text);
    }

    public List<TopicRule> topicRules() {
        return topics;
    }

    /** Which tenant owns the foreign topics these rules map, and who may therefore touch them. */
    public ForeignOwnership ownership() {
        return ownership;
    }

    /** The group's mapping, if the group is configured. */
    public Optional<SparkplugGroup> sparkplugGroup(final String group) {
        return Optional.ofNullable(groups.get(group));
    }

    /** The first topic rule matching {@code topic}, if any. */
    public Optional<TopicRule> ruleFor(final String topic) {
        for (final TopicRule rule : topics) {
            if (rule.match(topic) != null) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return topics.isEmpty() && groups.isEmpty();
    }

    @Override
    public String toString() {
        return topics.size() + " topic rules, " + groups.size() + " Sparkplug groups";
    }
}
