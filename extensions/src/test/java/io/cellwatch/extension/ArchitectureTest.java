package io.cellwatch.extension;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The extension's layering, checked on its compiled classes so that it stays the way docs/decisions.md says. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cellwatch.extension");

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.cellwatch.extension.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheApiPackageSpeaksHttp() {
        noClasses().that().resideOutsideOfPackage("io.cellwatch.extension.api..")
                .should().dependOnClassesThat().resideInAPackage("io.undertow..")
                .because("HTTP handlers live under the API package").check(CLASSES);
    }

    @Test
    void thePublishPathAndStorageKnowNothingOfTheApi() {
        noClasses().that().resideInAnyPackage("..ingest..", "..series..", "..wal..", "..storage..", "..history..",
                        "..live..", "..quota..", "..security..")
                .should().dependOnClassesThat().resideInAPackage("io.cellwatch.extension.api..")
                .check(CLASSES);
    }

    @Test
    void onlyTheHistoryPackageAndTheProbeTalkToDuckDb() {
        noClasses().that().resideOutsideOfPackages("..history..", "..storage..", "..probe..")
                .should().dependOnClassesThat().resideInAPackage("org.duckdb..").check(CLASSES);
    }
}
