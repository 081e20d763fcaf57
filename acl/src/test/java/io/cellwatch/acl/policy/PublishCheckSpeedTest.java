package io.cellwatch.acl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A coarse guard, not a benchmark (the lead measures in bench/): a publish check on the example policy must stay
 * far below the ~20 µs per message a 50k msg/s broker can afford.
 */
class PublishCheckSpeedTest {

    @Test
    void publishCheckTakesWellUnderAMicrosecondOnAverage() throws Exception {
        AccessPolicy policy = AccessPolicy.load(Path.of("examples/passwd"), Path.of("examples/acl"));
        Principal gw = policy.principal("gw-acme-07").orElseThrow();
        String topic = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/7/voltage";
        int n = 2_000_000;
        boolean all = true;
        for (int i = 0; i < n; i++) { // warm-up
            all &= policy.mayPublish(gw, "gw-acme-07", topic);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            all &= policy.mayPublish(gw, "gw-acme-07", topic);
        }
        double nsPerCheck = (System.nanoTime() - start) / (double) n;

        assertThat(all).isTrue();
        System.out.printf("mayPublish: %.0f ns per check%n", nsPerCheck);
        assertThat(nsPerCheck).isLessThan(2_000);
    }
}
