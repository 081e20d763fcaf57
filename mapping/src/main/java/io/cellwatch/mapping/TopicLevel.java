package io.cellwatch.mapping;

/** Finds one level of a topic by its index without splitting the topic: the publish path asks it per publish. */
final class TopicLevel {

    private TopicLevel() {
    }

    /** Where level {@code index} (from 0) of {@code topic} starts, or -1 if the topic has fewer levels. */
    static int start(final String topic, final int index) {
        int start = 0;
        for (int i = 0; i < index; i++) {
            start = topic.indexOf('/', start) + 1;
            if (start == 0) {
                return -1;
            }
        }
        return start;
    }

    /** Where the level starting at {@code start} ends (exclusive). */
    static int end(final String topic, final int start) {
        final int slash = topic.indexOf('/', start);
        return slash < 0 ? topic.length() : slash;
    }
}
