package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayHealthTest {

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayHealth degraded() {
        return new GatewayHealth("degraded", List.of(new GatewayHealth.Source("bms", "degraded",
                "1 of 3 requests failing", List.of(new GatewayHealth.Problem("unit 1 holding 1+16 (lines 2-17)",
                "Illegal Data Address (exception 2)", 4, 2, List.of("cells/1/voltage", "cells/2/voltage"))), 0)), 0);
    }

    @Test
    void writesAReportTheParserReadsBackUnchanged() throws Rejection {
        final String json = PayloadWriter.gatewayHealth(degraded());

        assertThat(json).isEqualTo("{\"state\":\"degraded\",\"sources\":[{\"name\":\"bms\",\"state\":\"degraded\","
                + "\"detail\":\"1 of 3 requests failing\",\"problems\":[{\"request\":\"unit 1 holding 1+16 (lines "
                + "2-17)\",\"error\":\"Illegal Data Address (exception 2)\",\"failures\":4,\"missing\":2,"
                + "\"series\":[\"cells/1/voltage\",\"cells/2/voltage\"]}]}]}");
        assertThat(GatewayHealth.parse(utf8(json))).isEqualTo(degraded());
    }

    @Test
    void boundsAHugeReportAndCountsWhatItLeavesOut() throws Rejection {
        final List<GatewayHealth.Problem> problems = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            final List<String> series = new ArrayList<>();
            for (int s = 0; s < 300; s++) {
                series.add("racks/r" + p + "/packs/k1/modules/m1/cells/" + s + "/voltage");
            }
            problems.add(new GatewayHealth.Problem("unit 1 holding " + p, "timeout", 1, 300, series));
        }
        final GatewayHealth huge = new GatewayHealth("degraded",
                List.of(new GatewayHealth.Source("bms", "degraded", "x".repeat(1000), problems, 0)), 0);

        final String json = PayloadWriter.gatewayHealth(huge);

        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(GatewayHealth.MAX_BYTES);
        final GatewayHealth read = GatewayHealth.parse(utf8(json));
        final GatewayHealth.Source source = read.sources().get(0);
        assertThat(source.detail()).hasSize(GatewayHealth.MAX_TEXT).endsWith("…");
        assertThat(source.problems().size() + source.moreProblems()).isEqualTo(40);
        assertThat(source.problems()).allSatisfy(p -> {
            assertThat(p.missing()).isEqualTo(300);
            assertThat(p.series()).hasSizeLessThanOrEqualTo(GatewayHealth.MAX_SERIES);
        });
    }

    @Test
    void refusesAReportOverTheSizeBound() {
        assertThatThrownBy(() -> GatewayHealth.parse(utf8("{\"state\":\"ok\",\"sources\":[],\"x\":\""
                + "y".repeat(GatewayHealth.MAX_BYTES) + "\"}")))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.OVERSIZE))
                .hasMessageContaining("at most 16384");
    }

    @Test
    void refusesWhatIsNotAReport() {
        for (final String payload : List.of("degraded", "{\"state\":\"ok\"}", "{\"state\":1,\"sources\":[]}",
                "{\"state\":\"ok\",\"sources\":[{\"name\":\"a\"}]}", "{\"state\":\"ok\",\"sources\":[]} x")) {
            assertThatThrownBy(() -> GatewayHealth.parse(utf8(payload))).as(payload)
                    .isInstanceOfSatisfying(Rejection.class,
                            r -> assertThat(r.reason()).isEqualTo(RejectReason.BAD_JSON))
                    .hasMessageStartingWith("gateway health report: ");
        }
    }

    @Test
    void theWorseStateWins() {
        assertThat(GatewayHealth.worse("ok", "degraded")).isEqualTo("degraded");
        assertThat(GatewayHealth.worse("failing", "degraded")).isEqualTo("failing");
        assertThat(GatewayHealth.worse("degraded", "reconnecting")).isEqualTo("reconnecting");
    }

    @Test
    void aHealthTopicNamesItsGatewayAndNoOtherTopicDoes() {
        final String topic = TopicBuilder.tenant("acme").child("plants", "p1").gatewayHealth("gw-1");

        assertThat(topic).isEqualTo("tenants/acme/plants/p1/gateways/gw-1/status/health");
        assertThat(TopicResolver.gatewayHealthClientId(topic)).isEqualTo("gw-1");
        assertThat(TopicResolver.gatewayHealthClientId("tenants/acme/gateways/gw-1/status/health")).isNull();
        assertThat(TopicResolver.gatewayHealthClientId("tenants/acme/plants/p1/gateways/gw-1/status")).isNull();
        assertThat(TopicResolver.gatewayHealthClientId("tenants/acme/plants/p1/gateway/gw-1/status/health")).isNull();
        assertThat(TopicResolver.gatewayHealthClientId("tenants/acme/plants/p1/gateways//status/health")).isNull();
        assertThat(TopicResolver.gatewayHealthClientId("factory/gateways/gw-1/status/health")).isNull();
    }
}
