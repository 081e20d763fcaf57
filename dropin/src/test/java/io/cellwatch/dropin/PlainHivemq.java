package io.cellwatch.dropin;

import com.hivemq.embedded.EmbeddedHiveMQ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A stock embedded HiveMQ CE for the drop-in tests: the packaged zip unpacked into its extensions/ folder. */
final class PlainHivemq {

    private PlainHivemq() {
    }

    /** Unpacks the zip Maven built ({@code cellwatch.extension.zip}) into {@code dir/extensions}; the extension folder. */
    static Path unpackExtension(final Path dir) throws IOException {
        final Path extensions = Files.createDirectories(dir.resolve("extensions"));
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("cellwatch.extension.zip")));
             ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                final Path target = extensions.resolve(entry.getName()).normalize();
                if (!target.startsWith(extensions)) {
                    throw new IOException("zip entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
        return extensions.resolve("cellwatch");
    }

    /** A HiveMQ with only an MQTT listener on {@code mqttPort}, in-memory persistence, extensions from {@code dir}. */
    static EmbeddedHiveMQ build(final Path dir, final int mqttPort) throws IOException {
        final Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                    </listeners>
                    <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(mqttPort));
        return EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(dir.resolve("extensions"))
                .build();
    }
}
