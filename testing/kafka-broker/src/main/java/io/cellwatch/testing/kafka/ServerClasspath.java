package io.cellwatch.testing.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The child JVM's classpath: the Kafka server's jars as this module's Maven build resolved them (the generated
 * {@code server.classpath} resource) plus a folder holding {@link KafkaServerMain}. Never the caller's classpath, so
 * the server's Scala, Jackson and log binding never meet the caller's.
 */
final class ServerClasspath {

    private static final String RESOURCE = "server.classpath";
    private static final String LAUNCHER = KafkaServerMain.class.getSimpleName() + ".class";

    private ServerClasspath() {
    }

    /** The {@code -cp} value for a child JVM; copies the launcher class into {@code launcherFolder}. */
    static String build(Path launcherFolder) {
        List<String> jars = serverJars();
        Path launcherRoot = copyLauncher(launcherFolder);
        return launcherRoot + File.pathSeparator + String.join(File.pathSeparator, jars);
    }

    static List<String> serverJars() {
        String text;
        try (InputStream in = ServerClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: build testing/kafka-broker with Maven");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (text.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filtered by the Maven build (an IDE copied it as is): " + text.strip());
        }
        // The file holds two lists (provided and runtime scope) that share kafka-clients and its codecs.
        Set<String> jars = new LinkedHashSet<>();
        for (String entry : text.split("[\\r\\n" + File.pathSeparator + "]+")) {
            if (!entry.isBlank()) {
                jars.add(entry.strip());
            }
        }
        for (String jar : jars) {
            if (!Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException(RESOURCE + " names " + jar
                        + ", which is not there: the classpath was built against another local Maven repository");
            }
        }
        return List.copyOf(jars);
    }

    // Copied out as a file because the caller's own code source may be a fat jar carrying HiveMQ, Jackson and logback.
    private static Path copyLauncher(Path launcherFolder) {
        Path packageFolder = launcherFolder.resolve(KafkaServerMain.class.getPackageName().replace('.', '/'));
        try (InputStream in = KafkaServerMain.class.getResourceAsStream(LAUNCHER)) {
            if (in == null) {
                throw new IllegalStateException(LAUNCHER + " is missing from the classpath");
            }
            Files.createDirectories(packageFolder);
            Files.write(packageFolder.resolve(LAUNCHER), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launcherFolder.toAbsolutePath();
    }
}
