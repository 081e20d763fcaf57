package io.cellwatch.edge.config;

import io.cellwatch.edge.source.SourceTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code broker.url} as one URL or a comma-separated list of the ingest nodes a gateway fails over between. */
class BrokerUrlListTest {

    @TempDir
    Path dir;

    private Path conf(final String brokerUrl) throws Exception {
        final Path file = dir.resolve("gateway.conf");
        Files.writeString(file, """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = %s
                [source sim]
                type = simulator
                """.formatted(brokerUrl));
        return file;
    }

    private static BrokerSettings broker(final Path conf) throws ConfigException {
        return SourceTypes.core().parse(conf).broker();
    }

    private static java.util.List<String> problems(final Path conf) {
        return catchThrowableOfType(() -> SourceTypes.core().parse(conf), ConfigException.class).problems();
    }

    @Test
    void readsAListInOrderWithEachUrlsDefaultPort() throws Exception {
        final BrokerSettings broker = broker(conf("tcp://ingest-1:1883, tcp://ingest-2 ,tcp://10.0.0.7:1884"));

        assertThat(broker.endpoints()).containsExactly(new BrokerEndpoint("ingest-1", 1883),
                new BrokerEndpoint("ingest-2", 1883), new BrokerEndpoint("10.0.0.7", 1884));
        assertThat(broker.urls()).containsExactly("tcp://ingest-1:1883", "tcp://ingest-2:1883",
                "tcp://10.0.0.7:1884");
        assertThat(broker.tls()).isFalse();
    }

    @Test
    void readsOneUrlAsAListOfOne() throws Exception {
        final BrokerSettings broker = broker(conf("ssl://broker.example"));

        assertThat(broker.endpoints()).containsExactly(new BrokerEndpoint("broker.example", 8883));
        assertThat(broker.tls()).isTrue();
        assertThat(broker).hasToString("ssl://broker.example:8883");
    }

    @Test
    void namesEachBadEntryAtItsLine() throws Exception {
        final Path conf = conf("tcp://ingest-1:1883, http://ingest-2, tcp://:1883, tcp://ingest-4:99999");

        assertThat(problems(conf)).containsExactly(
                conf + ":4: 'broker.url' 'http://ingest-2' is not a broker URL: expected tcp://HOST:PORT or"
                        + " ssl://HOST:PORT",
                conf + ":4: 'broker.url' 'tcp://:1883' is not a broker URL: expected tcp://HOST:PORT or"
                        + " ssl://HOST:PORT",
                conf + ":4: 'broker.url' 'tcp://ingest-4:99999' is not a broker URL: expected tcp://HOST:PORT or"
                        + " ssl://HOST:PORT");
    }

    @Test
    void refusesMixedSchemes() throws Exception {
        final Path conf = conf("ssl://ingest-1:8883, tcp://ingest-2:1883");

        assertThat(problems(conf)).containsExactly(conf + ":4: 'broker.url' 'tcp://ingest-2:1883' is not ssl:// like"
                + " the first URL: every broker takes the same scheme");
    }

    @Test
    void refusesAnEmptyEntryAndABrokerListedTwice() throws Exception {
        final Path empty = conf("tcp://ingest-1:1883,,tcp://ingest-2:1883");
        final java.util.List<String> emptyProblems = problems(empty);
        final Path twice = conf("tcp://ingest-1, tcp://ingest-1:1883");

        assertThat(emptyProblems).containsExactly(empty + ":4: 'broker.url' = 'tcp://ingest-1:1883,,"
                + "tcp://ingest-2:1883' has an empty entry: expected URLs separated by commas");
        assertThat(problems(twice)).containsExactly(twice + ":4: 'broker.url' 'tcp://ingest-1:1883' is listed twice");
    }
}
