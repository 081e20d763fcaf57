package io.cellwatch.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import io.cellwatch.testing.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for tests and benchmarks: one KRaft node (broker and controller) in a child JVM on two
 * free loopback ports, its log folder, properties and log file ({@code kafka.log}) in the folder given to
 * {@link #start}. The broker owns that folder and deletes it on {@link #close} unless the system property
 * {@value #KEEP_PROPERTY} is {@code true}. Not thread-safe: one test thread drives it.
 */
public final class KafkaTestBroker implements AutoCloseable {

    /** System property: {@code true} keeps the broker's folder (log dir and kafka.log) after {@link #close}. */
    public static final String KEEP_PROPERTY = "cellwatch.kafka.keep";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int LOG_TAIL_LINES = 60;
    // 512 MB heap is enough for tests and the bench's Kafka scenarios (Kafka's scripts default to 1 GB). The config
    // dumps (~400 lines per start) stay out of kafka.log: server.properties beside it says what was asked for.
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn");

    private final Path dir;
    private final int port;
    private final String classpath;
    private Process process;

    private KafkaTestBroker(Path dir, int port, String classpath) {
        this.dir = dir;
        this.port = port;
        this.classpath = classpath;
    }

    /**
     * Formats a new log folder under {@code dir} and starts the broker on two free loopback ports; returns once an
     * admin client can describe the cluster. On failure the child is killed and the exception carries its log's tail.
     */
    public static KafkaTestBroker start(Path dir) {
        Path absolute = dir.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = FreePorts.distinct(2);
        KafkaTestBroker broker = new KafkaTestBroker(absolute, ports[0], ServerClasspath.build(absolute.resolve("launcher")));
        ServerProperties.write(broker.properties(), absolute.resolve("data"), ports[0], ports[1]);
        broker.launch(Uuid.randomUuid().toString());
        return broker;
    }

    /** The {@code bootstrap.servers} value: {@code 127.0.0.1:<port>}, the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's folder. */
    public Path dir() {
        return dir;
    }

    /** The child JVM's output (the Kafka server's log, appended across restarts). */
    public Path logFile() {
        return dir.resolve("kafka.log");
    }

    /** The child JVM's process id (for RSS and CPU readings); -1 when it is not running. */
    public long pid() {
        return isRunning() ? process.pid() : -1;
    }

    /** Whether the child JVM is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker gracefully (SIGTERM, controlled shutdown), forcibly after 30 s; idempotent. */
    public void stop() {
        if (isRunning()) {
            process.destroy();
            if (!waitForExit(STOP_TIMEOUT)) {
                kill();
            }
        }
    }

    /** Kills the broker at once (SIGKILL), as a crash would; idempotent. */
    public void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            if (!waitForExit(STOP_TIMEOUT)) {
                throw new IllegalStateException("Kafka child JVM " + process.pid() + " did not die after SIGKILL");
            }
        }
    }

    /** Stops the broker if it runs, starts it again on the same ports and log folder (no reformat), waits ready. */
    public void restart() {
        stop();
        launch(null);
    }

    /** Creates a topic with replication factor 1 and waits for the controller to accept it. */
    public void createTopic(String name, int partitions) {
        if (!isRunning()) {
            throw new IllegalStateException("Kafka is not running; cannot create topic " + name + logTail());
        }
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topic " + name + " failed: " + e + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /** Kills the broker if it runs and deletes its folder unless {@value #KEEP_PROPERTY} is set; idempotent. */
    @Override
    public void close() {
        kill();
        if (!Boolean.getBoolean(KEEP_PROPERTY)) {
            deleteFolder();
        }
    }

    private void launch(String formatWithClusterId) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, KafkaServerMain.class.getName(), properties().toString()));
        if (formatWithClusterId != null) {
            command.add(formatWithClusterId);
        }
        try {
            // stdin stays a pipe: the child halts when it closes, i.e. when this JVM dies without stopping it.
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka child JVM", e);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    // First the port (quietly), then a real request: the admin client logs a warning per refused connection.
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!accepts(port)) {
            checkAlive();
            pause(deadline);
        }
        try (Admin admin = admin()) {
            while (true) {
                checkAlive();
                try {
                    if (!admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not ready yet: the broker may still be registering with its controller
                }
                pause(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka child JVM exited with code " + process.exitValue() + logTail());
        }
    }

    private void pause(long deadline) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka not ready on " + bootstrapServers() + " after " + READY_TIMEOUT
                    + logTail());
        }
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "\n--- last " + tail.size() + " lines of " + logFile() + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "\n(no Kafka log at " + logFile() + ": " + e + ")";
        }
    }

    private void deleteFolder() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the Kafka folder " + dir, e);
        }
    }
}
