package io.cellwatch.acl;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The acl module's layering, checked on its compiled classes: files are read below, policies compiled above. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cellwatch.acl");

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.cellwatch.acl.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theFileSyntaxKnowsNothingOfTheCompiledPolicy() {
        noClasses().that().resideInAnyPackage("io.cellwatch.acl.rules..", "io.cellwatch.acl.password..")
                .should().dependOnClassesThat().resideInAPackage("io.cellwatch.acl.policy..").check(CLASSES);
    }
}
