package io.cellwatch.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The runnable jar started as a child process with plain {@code java -jar}, as an operator would. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final StringBuffer output = new StringBuffer();

    private ServerProcess(final Process process) {
        this.process = process;
        final Thread reader = new Thread(this::readOutput, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the jar in {@code workDir} with {@code args} and waits until it reports that it started. Unless it is a
     * demo (which makes its own logins), {@code workDir/conf} gets the {@link TestAccess} logins first.
     */
    static ServerProcess start(final Path workDir, final String... args) throws Exception {
        return start(workDir, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with {@code jvmOptions} (e.g. {@code -Xmx2g}) before {@code -jar}. */
    static ServerProcess start(final Path workDir, final List<String> jvmOptions, final String... args)
            throws Exception {
        if (!List.of(args).contains("--demo")) {
            TestAccess.write(workDir.resolve("conf"));
        }
        final Path jar = Path.of(System.getProperty("cellwatch.jar", "target/cellwatch.jar")).toAbsolutePath();
        if (!jar.toFile().exists()) {
            throw new IllegalStateException("runnable jar " + jar + " is missing: run mvn package first");
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        final ServerProcess server = new ServerProcess(new ProcessBuilder(command)
                .directory(workDir.toFile()).redirectErrorStream(true).start());
        try {
            server.ready.get(90, TimeUnit.SECONDS);
        } catch (final Exception e) {
            server.kill();
            throw new IllegalStateException("server did not start:\n" + server.output, e);
        }
        return server;
    }

    /** The line that reported the start. */
    String readyLine() {
        return ready.join();
    }

    /** Everything the server printed so far. */
    String output() {
        return output.toString();
    }

    /** Whether the server process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("cellwatch started in")) {
                    ready.complete(line);
                }
            }
            ready.completeExceptionally(new IllegalStateException("server exited:\n" + output));
        } catch (final IOException e) {
            ready.completeExceptionally(e);
        }
    }
}
