package io.cellwatch.extension.quota;

import io.cellwatch.contract.RejectReason;
import io.cellwatch.extension.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.cellwatch.contract.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class RetainedLedgerTest {

    private static final TenantLimits LIMITS = new TenantLimits(10, 10, 10, 10_000, 1_000, 3, 10, 10);

    private final TenantQuotas quotas = new TenantQuotas(LIMITS,
            new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), QuotaMetrics.NONE);
    private final RetainedLedger ledger = quotas.retained();
    private final TenantQuota acme = quotas.of("acme");
    private final TenantQuota nordvolt = quotas.of("nordvolt");

    @Test
    void replacingARetainedMessageCountsOnlyTheNewOne() throws Exception {
        ledger.charge(acme, "a", 600);
        ledger.charge(acme, "a", 900);

        assertThat(acme.retainedBytes()).isEqualTo(900);
        assertThat(acme.retainedMessages()).isEqualTo(1);
    }

    @Test
    void aReplacementMayUseTheRoomOfTheMessageItReplaces() throws Exception {
        ledger.charge(acme, "a", 600);
        ledger.charge(acme, "b", 300);

        rejected(() -> ledger.charge(acme, "c", 200));
        ledger.charge(acme, "a", 700);
        assertThat(acme.retainedBytes()).isEqualTo(1_000);
    }

    @Test
    void aClearedMessageFreesItsBytesAndItsCount() throws Exception {
        ledger.charge(acme, "a", 600);
        ledger.cleared("a");
        ledger.cleared("never-retained");

        assertThat(acme.retainedBytes()).isZero();
        assertThat(acme.retainedMessages()).isZero();
        ledger.charge(acme, "b", 1_000);
    }

    @Test
    void aMessageOverTheLimitChangesNothing() throws Exception {
        ledger.charge(acme, "a", 600);

        assertThat(rejected(() -> ledger.charge(acme, "b", 401)).reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        assertThat(acme.retainedBytes()).isEqualTo(600);
        assertThat(acme.retainedMessages()).isEqualTo(1);
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void theMessageCountLimitIgnoresReplacements() throws Exception {
        for (final String topic : new String[] {"a", "b", "c"}) {
            ledger.charge(acme, topic, 1);
        }

        assertThat(rejected(() -> ledger.charge(acme, "d", 1)).getMessage())
                .isEqualTo("quota exceeded: tenant 'acme' may keep 3 retained messages");
        ledger.charge(acme, "c", 2);
        assertThat(acme.retainedMessages()).isEqualTo(3);
    }

    @Test
    void anotherTenantReplacingATopicTakesItOver() throws Exception {
        ledger.charge(acme, "factory/x", 500);
        ledger.charge(nordvolt, "factory/x", 200);

        assertThat(acme.retainedBytes()).isZero();
        assertThat(acme.retainedMessages()).isZero();
        assertThat(nordvolt.retainedBytes()).isEqualTo(200);
    }

    @Test
    void undoPutsBackTheMessageThatWasReplaced() throws Exception {
        ledger.charge(acme, "a", 600);
        final RetainedLedger.Charge charge = ledger.charge(acme, "a", 100);

        charge.undo();

        assertThat(acme.retainedBytes()).isEqualTo(600);
        assertThat(acme.retainedMessages()).isEqualTo(1);
        ledger.cleared("a");
        assertThat(acme.retainedBytes()).isZero();
    }

    @Test
    void aMessageFoundAtStartCountsUnlessThePublishPathCountedTheTopicFirst() throws Exception {
        ledger.charge(acme, "a", 100);
        ledger.restored(acme, "a", 700);
        ledger.restored(acme, "b", 300);

        assertThat(acme.retainedBytes()).isEqualTo(400);
        assertThat(acme.retainedMessages()).isEqualTo(2);
    }

    @Test
    void retainedMessagesOfATenantTopicCountForThatTenantWhoeverPublishes() {
        final TenantQuota none = quotas.of("");

        assertThat(quotas.retainedHolder("tenants/acme/plants/p1/meta", none)).isSameAs(acme);
        assertThat(quotas.retainedHolder("factory/machine/x", nordvolt)).isSameAs(nordvolt);
    }
}
