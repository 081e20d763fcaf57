package io.cellwatch.mapping;

import io.cellwatch.files.InvalidFileException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingRulesParserTest {

    private static final Path FILE = Path.of("conf/mapping.rules");

    static final String FACTORY = """
            # Machines publish JSON to factory/machine/<id>/telemetry.
            map factory/machine/+/telemetry
                tenant  acme
                node    plants/linz/machines/{machine_id|+1}   # payload id first, else the topic's
                metrics temperature humidity vibration
                ts      timestamp

            sparkplug plant-a
                tenant acme
            """;

    @Test
    void readsAMapBlockAndASparkplugBlock() throws Exception {
        final MappingRules rules = MappingRules.parse(FILE, FACTORY);

        assertThat(rules.topicRules()).hasSize(1);
        final TopicRule rule = rules.topicRules().get(0);
        assertThat(rule.line()).isEqualTo(2);
        assertThat(rule.filter()).hasToString("factory/machine/+/telemetry");
        assertThat(rule.tenant()).isEqualTo(IdTemplate.literal("acme"));
        assertThat(rule.levelNames()).containsExactly("plants", "machines");
        assertThat(rule.ids().get(1).alternatives()).containsExactly(IdSource.field("machine_id"),
                IdSource.wildcard(1));
        assertThat(rule.metrics()).containsExactly("temperature", "humidity", "vibration");
        assertThat(rule.tsField()).isEqualTo("timestamp");
        assertThat(rule.idFields()).containsExactly("machine_id");
        assertThat(rules.sparkplugGroup("plant-a")).get().extracting(SparkplugGroup::tenant).isEqualTo("acme");
        assertThat(rules.sparkplugGroup("plant-b")).isEmpty();
    }

    @Test
    void theFirstMatchingRuleWins() throws Exception {
        final MappingRules rules = MappingRules.parse(FILE, """
                map factory/machine/cnc/telemetry
                  tenant acme
                  node plants/special/machines/cnc
                map factory/+/#
                  tenant acme
                  node plants/other/machines/{+1}
                """);
        assertThat(rules.ruleFor("factory/machine/cnc/telemetry")).get().extracting(TopicRule::line).isEqualTo(1);
        assertThat(rules.ruleFor("factory/machine/lathe/telemetry")).get().extracting(TopicRule::line).isEqualTo(4);
        assertThat(rules.ruleFor("factory/anything")).get().extracting(TopicRule::line).isEqualTo(4);
        assertThat(rules.ruleFor("factory")).isEmpty();
        assertThat(rules.ruleFor("elsewhere/x")).isEmpty();
    }

    @Test
    void matchesPlusAndHashLikeMqtt() throws Exception {
        final TopicRule rule = MappingRules.parse(FILE, """
                map a/+/c/+
                  tenant t
                  node x/{+2}
                """).topicRules().get(0);
        assertThat(rule.match("a/b/c/d")).containsExactly("b", "d");
        assertThat(rule.match("a/b/c")).isNull();
        assertThat(rule.match("a/b/c/d/e")).isNull();
        assertThat(rule.match("a/b/x/d")).isNull();
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        final String text = """
                tenant acme
                map tenants/acme/#
                  tenant acme
                map factory/+/x
                  tenant bad tenant
                  node plants/p1/machines
                  ts
                map factory/+/y
                  tenant acme
                  node status/{+2}
                  metrics temperature temperature
                  tenant acme
                  colour blue
                map factory/+/x
                  tenant acme
                  node a/b
                sparkplug a/b
                sparkplug g1
                  node a/b
                map factory/#/z
                """;
        assertThatThrownBy(() -> MappingRules.parse(FILE, text))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(
                        e.problems().stream().map(Object::toString).toList()).containsExactly(
                        "conf/mapping.rules:1: 'tenant' belongs in a 'map' or 'sparkplug' block",
                        "conf/mapping.rules:2: topic filter 'tenants/acme/#': may not start with 'tenants' "
                                + "(cellwatch's own tree, Sparkplug B or broker topics)",
                        "conf/mapping.rules:5: 'tenant' takes one tenant id",
                        "conf/mapping.rules:6: node 'plants/p1/machines' has 3 levels; it needs level/id pairs "
                                + "(an even number)",
                        "conf/mapping.rules:7: 'ts' needs a value",
                        "conf/mapping.rules:10: level name 'status' is reserved " + io.cellwatch.contract
                                .TopicResolver.RESERVED_NAMES,
                        "conf/mapping.rules:10: id of level 'status' '{+2}': '+2' names no '+' level of "
                                + "'factory/+/y' (it has 1)",
                        "conf/mapping.rules:11: metric 'temperature' is listed twice",
                        "conf/mapping.rules:12: 'tenant' appears twice in the block starting at line 8",
                        "conf/mapping.rules:13: unknown keyword 'colour' (expected map, sparkplug, tenant, node, "
                                + "metrics or ts)",
                        "conf/mapping.rules:14: topic filter 'factory/+/x' is already mapped at line 4",
                        "conf/mapping.rules:17: Sparkplug group id 'a/b' may not be empty or hold '/', '+' or '#'",
                        "conf/mapping.rules:19: a 'sparkplug' block takes only 'tenant'; 'node' belongs in a 'map' "
                                + "block",
                        "conf/mapping.rules:18: 'sparkplug g1' has no 'tenant'",
                        "conf/mapping.rules:20: topic filter 'factory/#/z': '#' must be the last level"));
    }

    @Test
    void aBlockWithoutNodeIsNamedByItsLine() {
        assertThatThrownBy(() -> MappingRules.parse(FILE, "\n\nmap f/+\n  tenant acme\n"))
                .hasMessageContaining("conf/mapping.rules:3: 'map f/+' has no 'node'");
    }

    @Test
    void noRuleMapsIntoTheProbesInternalTenant() {
        assertThatThrownBy(() -> MappingRules.parse(FILE,
                "map f/+\n  tenant ~cellwatch\n  node a/{+1}\nsparkplug g1\n  tenant ~cellwatch\n"))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(
                        e.problems().stream().map(Object::toString).toList()).containsExactly(
                        "conf/mapping.rules:2: tenant id '~cellwatch' is reserved for cellwatch's synthetic probe",
                        "conf/mapping.rules:5: tenant id '~cellwatch' is reserved for cellwatch's synthetic probe"));
    }

    @Test
    void anEmptyFileHasNoRules() throws Exception {
        assertThat(MappingRules.parse(FILE, "# nothing yet\n").isEmpty()).isTrue();
        assertThat(MappingRules.none().topicRules()).isEqualTo(List.of());
    }
}
