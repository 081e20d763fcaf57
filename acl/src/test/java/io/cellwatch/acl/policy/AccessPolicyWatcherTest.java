package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cellwatch.files.InvalidFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AccessPolicyWatcherTest {

    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private PolicyFiles files;
    private final List<AccessPolicy> applied = new CopyOnWriteArrayList<>();
    private final List<InvalidFileException> rejected = new CopyOnWriteArrayList<>();
    private final AccessPolicyWatcher.Listener listener = new AccessPolicyWatcher.Listener() {
        @Override
        public void applied(AccessPolicy policy, AccessPolicy previous) {
            applied.add(policy);
        }

        @Override
        public void rejected(InvalidFileException e) {
            rejected.add(e);
        }
    };

    @BeforeEach
    void writeFiles() throws Exception {
        files = new PolicyFiles(dir).users("alice", "bob").acl("tenant acme", "operators alice");
    }

    @Test
    void loadsSynchronouslyAndRunsOnANamedDaemonThread() throws Exception {
        try (AccessPolicyWatcher watcher = AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener)) {
            assertThat(watcher.current().principal("alice")).isPresent();
            assertThat(Thread.getAllStackTraces().keySet())
                    .anySatisfy(t -> {
                        assertThat(t.getName()).isEqualTo("cellwatch-acl-watcher");
                        assertThat(t.isDaemon()).isTrue();
                    });
        }
    }

    @Test
    void throwsWhenTheInitialFilesAreInvalid() throws Exception {
        files.acl("tenant acme", "operator alice");

        assertThatThrownBy(() -> AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageContaining(files.acl + ":2: unknown keyword 'operator'");
    }

    @Test
    void appliesAValidEditKeepsThePolicyOnABrokenOneAndAppliesTheFix() throws Exception {
        try (AccessPolicyWatcher watcher = AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener)) {
            AccessPolicy first = watcher.current();

            files.acl("tenant acme", "operators alice bob");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.current().principal("bob").isPresent());
            assertThat(applied).hasSize(1);
            AccessPolicy second = watcher.current();
            assertThat(second.changedUsers(first)).containsExactly("bob");

            files.acl("tenant acme", "operators alice bob", "topic bad tenants/acme/x");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.failedReloads() == 1);
            assertThat(watcher.current()).isSameAs(second);
            assertThat(rejected).singleElement().satisfies(e -> assertThat(e.problems())
                    .map(Object::toString)
                    .containsExactly(files.acl + ":3: bad access 'bad' (expected read, write, readwrite or deny)"));

            files.acl("tenant acme", "admins alice bob");
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.current().principal("bob").orElseThrow().role() == Role.TENANT_ADMIN);
            assertThat(watcher.failedReloads()).isEqualTo(1);
            assertThat(applied).hasSize(2);
        }
    }

    @Test
    void aTruncateThenWriteEditDoesNotLeaveARejectBehind() throws Exception {
        try (AccessPolicyWatcher watcher = AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener)) {
            Files.writeString(files.acl, "");
            Files.writeString(files.acl, "tenant acme\noperators alice bob\n");

            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.current().principal("bob").isPresent());
        }
    }

    @Test
    void recoversWhenADeletedFileReturns() throws Exception {
        try (AccessPolicyWatcher watcher = AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener)) {
            Files.delete(files.acl);
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.failedReloads() == 1);
            assertThat(rejected.get(0)).hasMessageContaining(files.acl + ": file does not exist");
            assertThat(watcher.current().principal("alice")).isPresent();

            files.acl("tenant acme", "operators alice bob");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.current().principal("bob").isPresent());
        }
    }

    @Test
    void closeIsIdempotentAndStopsTheThread() throws Exception {
        AccessPolicyWatcher watcher = AccessPolicyWatcher.start(files.passwd, files.acl, POLL, listener);
        watcher.close();
        watcher.close();

        files.acl("tenant acme", "operators alice bob");
        Thread.sleep(4 * POLL.toMillis());
        assertThat(applied).isEmpty();
    }
}
