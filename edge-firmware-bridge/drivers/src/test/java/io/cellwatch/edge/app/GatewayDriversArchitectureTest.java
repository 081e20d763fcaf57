package io.cellwatch.edge.app;

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
 * The whole gateway's layering, core and drivers together: the core knows no driver, each driver knows the core and
 * no other driver (only the program in {@code app} lists them all), and no packages form a cycle. One exception:
 * {@code sunspec} is a Modbus-family driver, a Modbus TCP source whose registers it discovers; it builds on
 * {@code modbus} (connection, retries, health, register decoding), which knows nothing of it.
 */
@AnalyzeClasses(packages = "io.cellwatch.edge", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayDriversArchitectureTest {

    private static final String[] DRIVERS = {"io.cellwatch.edge.modbus..", "io.cellwatch.edge.opcua..",
            "io.cellwatch.edge.gpio..", "io.cellwatch.edge.mqtt..", "io.cellwatch.edge.mapping..",
            "io.cellwatch.edge.sunspec.."};

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
            .that().resideInAnyPackage("io.cellwatch.edge", "io.cellwatch.edge.config..", "io.cellwatch.edge.source..",
                    "io.cellwatch.edge.buffer..", "io.cellwatch.edge.publish..", "io.cellwatch.edge.health..")
            .should().dependOnClassesThat().resideInAnyPackage(DRIVERS)
            .orShould().dependOnClassesThat().resideInAnyPackage("io.cellwatch.edge.app..")
            .because("the server's --demo depends on the gateway core, and cellwatch.jar must carry no driver");

    @ArchTest
    static final ArchRule modbusKnowsNoOtherDriver = driverKnowsNoOther("io.cellwatch.edge.modbus..");

    /** SunSpec devices are Modbus TCP devices: {@code sunspec} uses {@code modbus}, and no other driver. */
    @ArchTest
    static final ArchRule sunspecKnowsNoOtherDriverButModbus = driverKnowsNoOther("io.cellwatch.edge.sunspec..",
            "io.cellwatch.edge.modbus..");

    @ArchTest
    static final ArchRule opcuaKnowsNoOtherDriver = driverKnowsNoOther("io.cellwatch.edge.opcua..");

    @ArchTest
    static final ArchRule gpioKnowsNoOtherDriver = driverKnowsNoOther("io.cellwatch.edge.gpio..");

    /** The local MQTT source maps through {@code edge.mapping}, its adapter to the engine; it knows no other driver. */
    @ArchTest
    static final ArchRule mqttKnowsNoOtherDriver = noClasses()
            .that().resideInAPackage("io.cellwatch.edge.mqtt..")
            .should().dependOnClassesThat().resideInAnyPackage("io.cellwatch.edge.modbus..",
                    "io.cellwatch.edge.opcua..", "io.cellwatch.edge.gpio..", "io.cellwatch.edge.sunspec..",
                    "io.cellwatch.edge.app..");

    /** The server's mapping engine is the local MQTT source's: its rules ({@code mqtt}) and adapter ({@code mapping}). */
    @ArchTest
    static final ArchRule onlyTheLocalMqttSourceUsesTheMappingEngine = noClasses()
            .that().resideInAPackage("io.cellwatch.edge..")
            .and().resideOutsideOfPackages("io.cellwatch.edge.mqtt..", "io.cellwatch.edge.mapping..")
            .should().dependOnClassesThat().resideInAPackage("io.cellwatch.mapping..")
            .because("one mapping engine serves server and gateway, and only the local MQTT source maps topics");

    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    private static ArchRule driverKnowsNoOther(final String driver, final String... builtOn) {
        final java.util.List<String> others = new java.util.ArrayList<>(java.util.List.of(DRIVERS));
        others.remove(driver);
        others.removeAll(java.util.List.of(builtOn));
        others.add("io.cellwatch.edge.app..");
        return noClasses().that().resideInAPackage(driver)
                .should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new));
    }
}
