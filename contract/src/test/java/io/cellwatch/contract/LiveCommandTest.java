package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveCommandTest {

    @Test
    void writesASubscribeWithItsPath() {
        assertThat(LiveCommand.subscribe("tenants/acme/plants/p1"))
                .isEqualTo("{\"op\":\"subscribe\",\"path\":\"tenants/acme/plants/p1\"}");
    }

    @Test
    void escapesAPathThatWouldBreakTheJson() {
        assertThat(LiveCommand.unsubscribe("a\"b\\c"))
                .isEqualTo("{\"op\":\"unsubscribe\",\"path\":\"a\\\"b\\\\c\"}");
    }

    @Test
    void writesTheFeedsWithoutAPath() {
        assertThat(LiveCommand.gateways()).isEqualTo("{\"op\":\"gateways\"}");
        assertThat(LiveCommand.alerts()).isEqualTo("{\"op\":\"alerts\"}");
    }
}
