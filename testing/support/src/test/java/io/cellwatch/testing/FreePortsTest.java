package io.cellwatch.testing;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void handsOutDifferentPortsInOneCall() {
        final int[] ports = FreePorts.distinct(5);

        assertThat(ports).hasSize(5).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void handsOutAPortTheCallerCanBind() throws Exception {
        final int port = FreePorts.one();

        try (ServerSocket server = new ServerSocket(port)) {
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }
}
