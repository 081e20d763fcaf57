package io.cellwatch.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class MappingWatcherTest {

    @TempDir
    Path dir;

    @Test
    void aBadEditKeepsTheLastGoodRulesAndAGoodOneApplies() throws Exception {
        final Path file = dir.resolve("mapping.rules");
        Files.writeString(file, MappingRulesParserTest.FACTORY);
        try (MappingWatcher watcher = MappingWatcher.start(file, Duration.ofMillis(50))) {
            assertThat(watcher.current().ruleFor("factory/machine/cnc/telemetry")).isPresent();

            Files.writeString(file, "map factory/+/x\n  tenant acme\n  node plants\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.failedReloads() == 1);
            assertThat(watcher.current().ruleFor("factory/machine/cnc/telemetry")).isPresent();

            Files.writeString(file, "map factory/+/x\n  tenant acme\n  node plants/{+1}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.appliedReloads() == 1);
            assertThat(watcher.current().ruleFor("factory/machine/cnc/telemetry")).isEmpty();
            assertThat(watcher.current().ruleFor("factory/a/x")).isPresent();
        }
    }

    @Test
    void noFileMeansNoRulesUntilOneIsWritten() throws Exception {
        final Path file = dir.resolve("mapping.rules");
        try (MappingWatcher watcher = MappingWatcher.start(file, Duration.ofMillis(50))) {
            assertThat(watcher.current().isEmpty()).isTrue();
            Files.writeString(file, MappingRulesParserTest.FACTORY);
            await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.current().isEmpty());
        }
    }
}
