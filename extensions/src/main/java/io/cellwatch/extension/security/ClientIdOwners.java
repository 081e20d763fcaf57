package io.cellwatch.extension.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.acl.PrivateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Which user owns each MQTT client id, kept durably in a journal file ({@code data/client-owners.jsonl}) so that
 * ownership holds across broker restarts, like the broker's persistent sessions do. Every change is one JSON line
 * ({@code ["+",clientId,user]} or {@code ["-",clientId]}) appended by one writer thread, so callers (broker threads
 * among them) never wait on the disk; the file is compacted at open and when it has grown to several times the live
 * entries. Thread-safe.
 */
final class ClientIdOwners implements AutoCloseable {

    /** One client id's owner and when it last connected under it (a fresh claim counts as live). */
    record Owner(String user, long claimedAt, long connection) {
    }

    private static final Logger log = LoggerFactory.getLogger(ClientIdOwners.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COMPACT_FACTOR = 4;
    private static final int COMPACT_MIN_LINES = 10_000;

    private final Path file;
    private final Clock clock;
    private final ConcurrentHashMap<String, Owner> owners = new ConcurrentHashMap<>();
    // Ids per user, kept with every change of owners (for the sessions-per-user quota).
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "cellwatch-client-owners");
        thread.setDaemon(true);
        return thread;
    });
    private BufferedWriter journal;
    private long lines;

    private ClientIdOwners(final Path file, final Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Reads {@code file} (missing: no owners yet), compacts it and opens it for appending. */
    static ClientIdOwners open(final Path file, final Clock clock) throws IOException {
        final ClientIdOwners store = new ClientIdOwners(file, clock);
        store.load();
        store.compact();
        return store;
    }

    /** The owner of {@code clientId}, if any. */
    Optional<Owner> owner(final String clientId) {
        return Optional.ofNullable(owners.get(clientId));
    }

    /** How many client ids {@code user} owns now. */
    int heldBy(final String user) {
        return held.getOrDefault(user, 0);
    }

    /**
     * Makes {@code user} the owner of {@code clientId} for connection {@code connection} if nobody owns it, it owns
     * it already, or its owner is {@code replaceable}; returns the owner after the call.
     */
    Owner claim(final String clientId, final String user, final long connection, final Predicate<Owner> replaceable) {
        return owners.compute(clientId, (id, current) -> {
            if (current != null && !current.user().equals(user) && !replaceable.test(current)) {
                return current;
            }
            if (current == null || !current.user().equals(user)) {
                append(List.of("+", id, user));
                held.merge(user, 1, Integer::sum);
                if (current != null) {
                    unhold(current.user());
                }
            }
            return new Owner(user, clock.millis(), connection);
        });
    }

    /** Frees {@code clientId} if {@code user} owns it through {@code connection} (not a newer connection). */
    void releaseConnection(final String clientId, final String user, final long connection) {
        owners.computeIfPresent(clientId, (id, current) -> {
            if (current.user().equals(user) && current.connection() == connection) {
                append(List.of("-", id));
                unhold(user);
                return null;
            }
            return current;
        });
    }

    /** Frees {@code clientId} if {@code owner} is still its owner record. */
    void release(final String clientId, final Owner owner) {
        owners.computeIfPresent(clientId, (id, current) -> {
            if (current.equals(owner)) {
                append(List.of("-", id));
                unhold(owner.user());
                return null;
            }
            return current;
        });
    }

    /** Every client id with its owner, at this moment. */
    Map<String, Owner> snapshot() {
        return Map.copyOf(owners);
    }

    private void unhold(final String user) {
        held.computeIfPresent(user, (u, count) -> count > 1 ? count - 1 : null);
    }

    private void append(final List<String> entry) {
        final String line;
        try {
            line = JSON.writeValueAsString(entry);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            writer.execute(() -> write(line));
        } catch (final RejectedExecutionException closed) {
            // A disconnect reported while the broker shuts down: the journal is closed and the next start re-reads it.
            log.debug("client id owners closed; not recorded: {}", line);
        }
    }

    private void write(final String line) {
        try {
            journal.write(line);
            journal.newLine();
            journal.flush();
            if (++lines > Math.max(COMPACT_MIN_LINES, (long) COMPACT_FACTOR * owners.size())) {
                journal.close();
                compact();
            }
        } catch (final IOException e) {
            log.error("could not record a client id owner in {}; it holds until restart", file, e);
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int number = 0;
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                final String[] entry = JSON.readValue(line, String[].class);
                if (entry.length == 3 && entry[0].equals("+")) {
                    // Claimed long ago: whether it is live is the broker's restored session's to say.
                    owners.put(entry[1], new Owner(entry[2], 0, 0));
                } else if (entry.length == 2 && entry[0].equals("-")) {
                    owners.remove(entry[1]);
                } else {
                    throw new IOException("unexpected entry");
                }
            } catch (final IOException e) {
                // A torn last line after a power cut: the owners read so far stay, the rest is skipped loudly.
                log.warn("{}:{}: skipped an unreadable client id owner entry", file, number);
            }
        }
        for (final Owner owner : owners.values()) {
            held.merge(owner.user(), 1, Integer::sum);
        }
    }

    /** Rewrites the journal as one line per owner and reopens it for appending. Called on the writer thread. */
    private void compact() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        final Path temporary = PrivateFile.createOwnerOnly(file.toAbsolutePath().getParent(),
                "." + file.getFileName() + ".");
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (final Map.Entry<String, Owner> owner : owners.entrySet()) {
                out.write(JSON.writeValueAsString(List.of("+", owner.getKey(), owner.getValue().user())));
                out.newLine();
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = owners.size();
        journal = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("client id owners: journal writer did not finish in 5 s");
            }
            journal.close();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
