package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlantMetaTest {

    private static final String SITE = "tenants/acme/plants/p1";

    private static PlantMeta parse(final String json) {
        return PlantMeta.parse(SITE, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validMetaGivesNameAndLocation() {
        assertThat(parse("{\"name\":\"Acme Berlin\",\"lat\":52.52,\"lon\":13.4}"))
                .isEqualTo(new PlantMeta(SITE, "Acme Berlin", 52.52, 13.4, List.of(), null, null));
    }

    @Test
    void nameIsOptional() {
        assertThat(parse("{\"lat\":-33.9,\"lon\":151.2}").error()).isNull();
    }

    @Test
    void eachBrokenRuleIsNamedAndGivesNoLocation() {
        assertThat(parse("not json").error()).isEqualTo("meta: not JSON");
        assertThat(parse("[1,2]").error()).isEqualTo("meta: not a JSON object");
        assertThat(parse("{\"name\":7,\"lat\":1,\"lon\":1}").error()).startsWith("meta: name must be text");
        assertThat(parse("{\"name\":\"x\",\"lat\":91,\"lon\":1}"))
                .isEqualTo(new PlantMeta(SITE, "x", null, null, List.of(), null,
                        "meta: lat must be a number from -90 to 90"));
        assertThat(parse("{\"lat\":\"52\",\"lon\":1}").error()).isEqualTo("meta: lat must be a number from -90 to 90");
        assertThat(parse("{\"lat\":52}").error()).isEqualTo("meta: lon must be a number from -180 to 180");
        assertThat(parse("{\"lat\":52,\"lon\":-180.5}").error()).isEqualTo("meta: lon must be a number from -180 to 180");
    }

    @Test
    void aRepeatedFieldTakesItsLastValueAndOtherFieldsAreIgnored() {
        assertThat(parse("{\"lat\":1,\"extra\":{\"lat\":5},\"lon\":2,\"lat\":3}"))
                .isEqualTo(new PlantMeta(SITE, null, 3.0, 2.0, List.of(), null, null));
    }

    @Test
    void gatewaysNameThePlantsGatewaysEvenWithoutALocation() {
        assertThat(parse("{\"name\":\"x\",\"lat\":1,\"lon\":2,\"gateways\":[\"gw-acme-1\",\"gw-acme-2\"]}"))
                .isEqualTo(new PlantMeta(SITE, "x", 1.0, 2.0, List.of("gw-acme-1", "gw-acme-2"), null, null));
        final PlantMeta noLocation = parse("{\"gateways\":[\"gw-acme-1\"]}");
        assertThat(noLocation.gateways()).containsExactly("gw-acme-1");
        assertThat(noLocation.error()).startsWith("meta: lat");
    }

    @Test
    void gatewaysThatAreNotAListOfShortTextsAreAnErrorAndNoneAreKept() {
        for (final String bad : List.of("\"gw-1\"", "[1]", "[\"\"]", "[\"" + "x".repeat(129) + "\"]",
                "[" + String.join(",", java.util.Collections.nCopies(65, "\"g\"")) + "]")) {
            final PlantMeta meta = parse("{\"lat\":1,\"lon\":2,\"gateways\":" + bad + "}");
            assertThat(meta.error()).as(bad).startsWith("meta: gateways must be a list");
            assertThat(meta.gateways()).as(bad).isEmpty();
            assertThat(meta.lat()).as(bad).isNull();
        }
        assertThat(parse("{\"gateways\":[\"a\"").error()).isEqualTo("meta: not JSON");
    }

    @Test
    void aTruncatedObjectIsNotJson() {
        assertThat(parse("{\"lat\":1,").error()).isEqualTo("meta: not JSON");
    }

    @Test
    void payloadBufferIsNotConsumed() {
        final ByteBuffer payload = ByteBuffer.wrap("{\"lat\":1,\"lon\":2}".getBytes(StandardCharsets.UTF_8));
        PlantMeta.parse(SITE, payload);
        assertThat(payload.remaining()).isEqualTo(17);
    }

    @Test
    void readsThePacksRatedCapacity() {
        assertThat(parse("{\"lat\":1,\"lon\":2,\"packRatedAh\":280}").packRatedAh()).isEqualTo(280.0);
        assertThat(parse("{\"lat\":1,\"lon\":2}").packRatedAh()).isNull();
    }

    @Test
    void refusesARatedCapacityThatIsNotAPositiveNumber() {
        for (final String rated : new String[]{"0", "-5", "\"280\"", "2e6", "null"}) {
            assertThat(parse("{\"lat\":1,\"lon\":2,\"packRatedAh\":" + rated + "}").error()).as(rated)
                    .isEqualTo("meta: packRatedAh must be a number of Ah above 0 and at most 1000000");
        }
    }
}
