package io.cellwatch.mapping;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExampleRulesTest {

    @Test
    void theShippedExampleIsValid() throws Exception {
        final Path file = Path.of("examples", "mapping.rules");
        final MappingRules rules = MappingRules.parse(file, Files.readString(file));

        assertThat(rules.topicRules()).extracting(rule -> rule.filter().toString())
                .containsExactly("factory/machine/+/telemetry", "site/+/+/data");
        assertThat(rules.sparkplugGroup("plant-a")).get().extracting(SparkplugGroup::tenant).isEqualTo("acme");
    }
}
