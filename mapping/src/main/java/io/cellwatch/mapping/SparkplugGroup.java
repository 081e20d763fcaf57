package io.cellwatch.mapping;

/**
 * One {@code sparkplug} block: the Sparkplug B group whose edge nodes publish into {@code tenant}.
 *
 * @param line   line of the {@code sparkplug} keyword
 * @param group  the Sparkplug group id ({@code spBv1.0/{group}/…})
 * @param tenant the tenant its samples belong to
 */
public record SparkplugGroup(int line, String group, String tenant) {
}
