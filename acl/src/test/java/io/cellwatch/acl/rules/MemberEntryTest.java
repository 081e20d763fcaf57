package io.cellwatch.acl.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberEntryTest {

    @Test
    void matchesGlobsWithoutRegex() {
        MemberEntry gateways = new MemberEntry("gw-acme-*", Role.GATEWAY, "acme", 1);

        assertThat(gateways.glob()).isTrue();
        assertThat(gateways.matches("gw-acme-01")).isTrue();
        assertThat(gateways.matches("gw-acme-")).isTrue();
        assertThat(gateways.matches("gw-beta-01")).isFalse();
        assertThat(MemberEntry.globMatches("*-site-*", "gw-site-7")).isTrue();
        assertThat(MemberEntry.globMatches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(MemberEntry.globMatches("a*b*c", "aXbYbZ")).isFalse();
        assertThat(MemberEntry.globMatches("a.b", "aXb")).as("dots are literal").isFalse();
    }

    @Test
    void matchesExactNamesExactly() {
        MemberEntry alice = new MemberEntry("alice", Role.OPERATOR, "acme", 1);

        assertThat(alice.glob()).isFalse();
        assertThat(alice.matches("alice")).isTrue();
        assertThat(alice.matches("Alice")).isFalse();
    }
}
