package io.cellwatch.extension.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class ClientIdOwnersTest {

    @TempDir
    Path dir;

    private ClientIdOwners open() throws Exception {
        return ClientIdOwners.open(dir.resolve("client-owners.jsonl"), Clock.systemUTC());
    }

    @Test
    void ownersSurviveAReopen() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("gw-acme-1", "gw-acme-1", 1, current -> false);
            owners.claim("dash \"1\"\n", "alice", 2, current -> false);
        }

        try (ClientIdOwners reopened = open()) {
            assertThat(reopened.owner("gw-acme-1").orElseThrow().user()).isEqualTo("gw-acme-1");
            assertThat(reopened.owner("dash \"1\"\n").orElseThrow().user()).isEqualTo("alice");
        }
    }

    @Test
    void aReleasedIdStaysFreeAfterAReopen() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("probe", "alice", 7, current -> false);
            owners.releaseConnection("probe", "alice", 7);
        }

        try (ClientIdOwners reopened = open()) {
            assertThat(reopened.owner("probe")).isEmpty();
        }
    }

    @Test
    void anotherUsersClaimOnlyReplacesWhatItMay() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("gw", "gw-acme-1", 1, current -> false);

            assertThat(owners.claim("gw", "mallory", 2, current -> false).user()).isEqualTo("gw-acme-1");
            assertThat(owners.claim("gw", "mallory", 3, current -> true).user()).isEqualTo("mallory");
        }
    }

    @Test
    void onlyTheLatestConnectionOfTheOwnerReleases() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("gw", "gw-acme-1", 1, current -> false);
            owners.claim("gw", "gw-acme-1", 2, current -> false);

            owners.releaseConnection("gw", "gw-acme-1", 1);
            assertThat(owners.owner("gw")).isPresent();
            owners.releaseConnection("gw", "mallory", 2);
            assertThat(owners.owner("gw")).isPresent();
            owners.releaseConnection("gw", "gw-acme-1", 2);
            assertThat(owners.owner("gw")).isEmpty();
        }
    }

    @Test
    void aTornLastLineIsSkippedAndTheRestKept() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("gw", "gw-acme-1", 1, current -> false);
        }
        Files.writeString(dir.resolve("client-owners.jsonl"), "[\"+\",\"half", StandardOpenOption.APPEND);

        try (ClientIdOwners reopened = open()) {
            assertThat(reopened.owner("gw").orElseThrow().user()).isEqualTo("gw-acme-1");
            assertThat(reopened.snapshot()).hasSize(1);
        }
    }

    @Test
    void theJournalIsReadableByItsOwnerOnly() throws Exception {
        try (ClientIdOwners owners = open()) {
            owners.claim("gw", "gw-acme-1", 1, current -> false);
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-owners.jsonl"))))
                .isEqualTo("rw-------");
    }
}
