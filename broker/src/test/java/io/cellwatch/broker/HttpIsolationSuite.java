package io.cellwatch.broker;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The HTTP and WebSocket isolation checks ({@link HttpIsolationChecks}) as tests, for every isolation suite that
 * implements this: one node ({@code TenantIsolationIT}) and a serving node fed through Kafka
 * ({@code ServingNodeIsolationIT}). The {@code @Order}s slot them between the suite's own tests.
 */
interface HttpIsolationSuite {

    /** The checks, bound to the node operators use in this suite. */
    HttpIsolationChecks http();

    @TestFactory
    @Order(6)
    default Stream<DynamicTest> nordvoltOperatorCannotReadAcmeOverRest() {
        return http().nordvoltOperatorCannotReadAcmeOverRest();
    }

    @TestFactory
    @Order(7)
    default Stream<DynamicTest> nordvoltOperatorsWideQueriesLeaveAcmeOut() {
        return http().nordvoltOperatorsWideQueriesLeaveAcmeOut();
    }

    @TestFactory
    @Order(8)
    default Stream<DynamicTest> identitiesWithoutADashboardLoginGetNothing() {
        return http().identitiesWithoutADashboardLoginGetNothing();
    }

    @TestFactory
    @Order(9)
    default Stream<DynamicTest> nordvoltOperatorCannotWatchAcmeOverWebSocket() {
        return http().nordvoltOperatorCannotWatchAcmeOverWebSocket();
    }

    @TestFactory
    @Order(10)
    default Stream<DynamicTest> nordvoltOperatorsWideLiveSubscriptionsLeaveAcmeOut() {
        return http().nordvoltOperatorsWideLiveSubscriptionsLeaveAcmeOut();
    }

    @Test
    @Order(11)
    default void anUnauthenticatedWebSocketIsRefused() {
        http().anUnauthenticatedWebSocketIsRefused();
    }

    @Test
    @Order(14)
    default void nordvoltOperatorListsNoneOfAcmesGateways() throws Exception {
        http().nordvoltOperatorListsNoneOfAcmesGateways();
    }

    @Test
    @Order(15)
    default void nordvoltOperatorsLiveGatewayStatesLeaveAcmeOut() throws Exception {
        http().nordvoltOperatorsLiveGatewayStatesLeaveAcmeOut();
    }

    @TestFactory
    @Order(16)
    default Stream<DynamicTest> healthEndpointsTellNobodyAnythingOfAcme() {
        return http().healthEndpointsTellNobodyAnythingOfAcme();
    }

    @TestFactory
    @Order(20)
    default Stream<DynamicTest> nobodyNotEvenTheGlobalAdminReadsTheProbesTenantOverRest() throws Exception {
        return http().nobodyNotEvenTheGlobalAdminReadsTheProbesTenantOverRest();
    }

    @Test
    @Order(20)
    default void nobodyNotEvenTheGlobalAdminWatchesTheProbesTenantLive() throws Exception {
        http().nobodyNotEvenTheGlobalAdminWatchesTheProbesTenantLive();
    }
}
