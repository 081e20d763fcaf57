package io.cellwatch.mapping;

/** The Sparkplug B topic namespace: {@code spBv1.0/{group}/{type}/{edge node}[/{device}]}. Stateless. */
public final class SparkplugTopics {

    /** First level of every Sparkplug B topic. */
    public static final String NAMESPACE = "spBv1.0";

    /** The NCMD topic of edge node {@code node} of {@code group}: where commands to it, a rebirth among them, go. */
    public static String nodeCommand(final String group, final String node) {
        return NAMESPACE + "/" + group + "/NCMD/" + node;
    }

    private SparkplugTopics() {
    }

    /** True if {@code id} may be a group, edge node or device id: not empty, no '/', '+' or '#'. */
    public static boolean isValidId(final String id) {
        return !id.isEmpty() && id.indexOf('/') < 0 && id.indexOf('+') < 0 && id.indexOf('#') < 0;
    }
}
