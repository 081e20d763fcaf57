package io.cellwatch.testing.kafka;

import java.io.IOException;

/**
 * The child JVM's main class: formats the log folder when given a cluster id, then runs the Kafka server; halts when
 * the parent JVM is gone. Runs on the Kafka server's classpath only (KafkaTestBroker copies this one class file out),
 * so it must stay one class with no nested classes and touch nothing but the JDK and Kafka.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    /** Arguments: {@code <server.properties> [<cluster id>]}; with a cluster id the log folder is formatted first. */
    public static void main(String[] args) {
        haltWhenParentDies();
        if (args.length == 2) {
            format(args[0], args[1]);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }

    // The parent holds our stdin open for as long as it lives; end of input means it died without stopping us
    // (a killed test JVM runs no shutdown hooks), and a Kafka left running would hold its ports and a GB of memory.
    private static void haltWhenParentDies() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe is the same news as end of input
            }
            System.err.println("parent JVM gone: halting the Kafka server");
            Runtime.getRuntime().halt(3);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    // kafka-storage.sh format, in this JVM: saves a second JVM start (~1 s) on every fresh broker.
    private static void format(String properties, String clusterId) {
        int code;
        try {
            code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", properties}, System.out);
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 1;
        }
        if (code != 0) {
            System.err.println("formatting the log folder failed with exit code " + code);
            Runtime.getRuntime().halt(2);
        }
    }
}
