package io.cellwatch.mapping;

import java.util.List;

/**
 * What one foreign publish maps to: metrics of one node of a tenant's tree at one time.
 *
 * @param tenant     the tenant the samples belong to
 * @param nodeTopic  the node's topic by the topic contract, {@code tenants/{tenant}/…} (built by TopicBuilder)
 * @param names      metric names, parallel to {@code values}
 * @param values     metric values, finite
 * @param ts         device time in epoch ms, or server time if the device's was missing or implausible
 * @param deviceTime true if {@code ts} is the device's own
 * @param rule       the rule that mapped it
 */
public record MappedSample(String tenant, String nodeTopic, List<String> names, double[] values, long ts,
                           boolean deviceTime, TopicRule rule) {

    public MappedSample {
        names = List.copyOf(names);
    }
}
