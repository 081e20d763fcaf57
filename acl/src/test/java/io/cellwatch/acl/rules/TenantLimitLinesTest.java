package io.cellwatch.acl.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellwatch.acl.FileProblem;
import io.cellwatch.acl.InvalidFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code limit <name> <value>} lines of a tenant block: parsed per tenant, every mistake named by file and line. */
class TenantLimitLinesTest {

    private static final Path FILE = Path.of("conf/acl");

    @Test
    void readsTheLimitsOfEachTenantBlock() throws Exception {
        AclFile acl = AclFile.parse(FILE, String.join("\n",
                "tenant big",
                "gateways gw-big-*",
                "limit series 12000000   # 200 plants x 20,000 cells x 3 metrics",
                "limit retained-bytes 268435456",
                "tenant small",
                "gateways gw-small-*"));

        assertThat(acl.tenants().get("big").limits()).isEqualTo(Map.of(
                TenantLimit.SERIES, 12_000_000L, TenantLimit.RETAINED_BYTES, 268_435_456L));
        assertThat(acl.tenants().get("small").limits()).isEmpty();
    }

    @Test
    void readsEveryLimitName() throws Exception {
        StringBuilder content = new StringBuilder("tenant t\n");
        for (TenantLimit limit : TenantLimit.values()) {
            content.append("limit ").append(limit.word()).append(" 7\n");
        }

        assertThat(AclFile.parse(FILE, content.toString()).tenants().get("t").limits())
                .hasSize(TenantLimit.values().length).containsValue(7L);
    }

    @Test
    void refusesAnUnknownLimitName() {
        assertProblems("tenant t\nlimit sereis 5\n", "conf/acl:2: unknown limit 'sereis' (expected series, "
                + "new-series-per-minute, metrics-per-payload, payload-bytes, retained-bytes, retained-messages, "
                + "subscriptions-per-client, sessions-per-user)");
    }

    @Test
    void refusesValuesThatAreNotPositiveWholeNumbersInRange() {
        assertProblems("tenant t\nlimit series 0\nlimit series -3\nlimit series 1e6\nlimit payload-bytes 16777217\n"
                        + "limit series 99999999999999999999999\n",
                "conf/acl:2: limit series '0' is not a whole number in 1..1000000000",
                "conf/acl:3: limit series '-3' is not a whole number in 1..1000000000",
                "conf/acl:4: limit series '1e6' is not a whole number in 1..1000000000",
                "conf/acl:5: limit payload-bytes '16777217' is not a whole number in 1..16777216",
                "conf/acl:6: limit series '99999999999999999999999' is not a whole number in 1..1000000000");
    }

    @Test
    void refusesALimitOutsideATenantBlock() {
        assertProblems("limit series 5\nuser root\nlimit series 5\n",
                "conf/acl:1: 'limit' sets a quota of one tenant: put it inside a tenant block (server-wide defaults "
                        + "are settings in cellwatch.properties)",
                "conf/acl:3: 'limit' sets a quota of one tenant: put it inside a tenant block (server-wide defaults "
                        + "are settings in cellwatch.properties)");
    }

    @Test
    void refusesAMissingValueAndASecondLineForTheSameLimit() {
        assertProblems("tenant t\nlimit series\nlimit series 5\nlimit series 6 # again\n",
                "conf/acl:2: 'limit' needs a name and a value, e.g. 'limit series 2000000' (names: series, "
                        + "new-series-per-minute, metrics-per-payload, payload-bytes, retained-bytes, retained-messages, "
                + "subscriptions-per-client, sessions-per-user)",
                "conf/acl:4: limit series of tenant 't' is already set at line 3");
    }

    private static void assertProblems(String content, String... expected) {
        assertThatThrownBy(() -> AclFile.parse(FILE, content))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(e.problems())
                        .map(FileProblem::toString).containsExactly(expected));
    }
}
