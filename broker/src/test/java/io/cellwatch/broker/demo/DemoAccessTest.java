package io.cellwatch.broker.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAccessTest {

    @TempDir
    Path dir;

    @Test
    void theDemosPasswordFilesAreReadableByTheirOwnerOnly() throws Exception {
        DemoAccess.prepare(dir, DemoFleet.standardPlants());

        for (final String file : new String[] {"passwd", "credentials.properties"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void aSecondStartKeepsTheLogins() throws Exception {
        final DemoAccess first = DemoAccess.prepare(dir, DemoFleet.standardPlants());

        assertThat(DemoAccess.prepare(dir, DemoFleet.standardPlants()).passwords()).isEqualTo(first.passwords());
    }
}
