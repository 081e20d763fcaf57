package io.cellwatch.extension.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionRequestTest {

    private static final Scope ACME = new Scope("ann", false, Optional.of("acme"));
    private static final Scope NOBODY = new Scope("nemo", false, Optional.empty());
    private static final Scope ADMIN = new Scope("root", true, Optional.empty());

    private static String subscribe(final String path) {
        return "{\"op\":\"subscribe\",\"path\":\"" + path + "\"}";
    }

    @Test
    void memberWatchesAPathInsideItsTenantAsAsked() {
        assertThat(SubscriptionRequest.parse(subscribe("tenants/acme/plants/p1"), ACME))
                .isEqualTo(new SubscriptionRequest("subscribe", "tenants/acme/plants/p1", "tenants/acme/plants/p1"));
        assertThat(SubscriptionRequest.parse("{\"op\":\"unsubscribe\",\"path\":\"tenants/acme\"}", ACME))
                .isEqualTo(new SubscriptionRequest("unsubscribe", "tenants/acme", "tenants/acme"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tenants"})
    void memberAskingForAWiderPathIsRegisteredOnItsTenantOnly(final String path) {
        assertThat(SubscriptionRequest.parse(subscribe(path), ACME))
                .isEqualTo(new SubscriptionRequest("subscribe", path, "tenants/acme"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenants/nordvolt", "tenants/nordvolt/plants/p1", "tenants/acme2",
            "tenants/acme2/plants/p1", "tenants/nobody-here"})
    void memberIsRefusedEveryPathOutsideItsTenantWithOneAnswerShape(final String path) {
        final SubscriptionRequest request = SubscriptionRequest.parse(subscribe(path), ACME);

        assertThat(request.isError()).isTrue();
        assertThat(request.path()).isEqualTo("path '" + path + "' is outside what you may see");
        assertThat(request.watch()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tenants", "tenants/acme"})
    void callerWithoutTenantIsRefusedEverything(final String path) {
        assertThat(SubscriptionRequest.parse(subscribe(path), NOBODY).isError()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tenants", "tenants/acme", "tenants/nordvolt/plants/p1"})
    void globalAdminWatchesAnyPathAsAsked(final String path) {
        assertThat(SubscriptionRequest.parse(subscribe(path), ADMIN))
                .isEqualTo(new SubscriptionRequest("subscribe", path, path));
    }

    @Test
    void badMessagesGetAnErrorNamingTheProblem() {
        assertThat(SubscriptionRequest.parse("not json", ACME).path()).startsWith("message is not JSON");
        assertThat(SubscriptionRequest.parse("{\"op\":\"watch\",\"path\":\"tenants/acme\"}", ACME).path())
                .isEqualTo("unknown op 'watch'; use subscribe, unsubscribe, gateways or alerts");
        assertThat(SubscriptionRequest.parse("{\"op\":\"alerts\"}", ACME))
                .isEqualTo(new SubscriptionRequest("alerts", "", ""));
        assertThat(SubscriptionRequest.parse(subscribe("tenants//x"), ACME).path()).startsWith("bad path:");
        assertThat(SubscriptionRequest.parse(subscribe("plants/p1"), ACME).path()).startsWith("bad path:");
    }
}
