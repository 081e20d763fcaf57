package io.cellwatch.edge;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The gateway core's layering: the server's {@code --demo} runs on this module alone, so it knows no device driver
 * (neither a driver package nor a driver library, nor the mapping engine only the local MQTT driver uses), and its
 * packages form no cycle.
 */
@AnalyzeClasses(packages = "io.cellwatch.edge", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayCoreArchitectureTest {

    /** Each package of the gateway is one slice, the root package {@code io.cellwatch.edge} included. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(final JavaClass javaClass) {
            return javaClass.getPackageName().startsWith("io.cellwatch.edge")
                    ? SliceIdentifier.of(javaClass.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of io.cellwatch.edge";
        }
    };

    @ArchTest
    static final ArchRule coreDependsOnNoDriver = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.cellwatch.edge.app..", "io.cellwatch.edge.modbus..", "io.cellwatch.edge.opcua..",
                    "io.cellwatch.edge.gpio..", "io.cellwatch.edge.mqtt..", "io.cellwatch.edge.mapping..",
                    "io.cellwatch.mapping..", "org.eclipse.milo..", "com.ghgande..", "com.pi4j..", "com.fazecast..")
            .because("the server's --demo depends on the gateway core, and cellwatch.jar must carry no driver");

    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();
}
