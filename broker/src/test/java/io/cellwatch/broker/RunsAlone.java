package io.cellwatch.broker;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integration test that measures time or loads the machine: it runs after the others, with no other test JVM
 * beside it (the {@code its-solo} execution in broker/pom.xml), so neither it nor its neighbours are skewed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("solo")
public @interface RunsAlone {
}
