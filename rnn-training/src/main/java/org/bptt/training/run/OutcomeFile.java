package org.bptt.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.training.config.Json;
import org.bptt.training.run.RunOutcome.State;

/**
 * Writes a session's {@value RunOutcome#FILE}: "running" when it starts, renewed every
 * {@value RunOutcome#HEARTBEAT_SECONDS} s by a daemon thread (so that a long iteration does not
 * look like a dead process), and the outcome when it ends. Each write replaces the file whole
 * ({@link AtomicFile}). Thread-safe: the heartbeat and the training thread write in turn, and
 * nothing is written after the end.
 */
final class OutcomeFile implements AutoCloseable {
    /** This machine's name, so that a reader elsewhere does not ask its own system about our process id. */
    static final String HOST = host();

    private final Path file;
    private final long asked;
    private final String started = Instant.now().toString();
    private volatile long iteration;
    private ScheduledExecutorService heartbeat;
    private boolean ended;

    private OutcomeFile(Path dir, long iteration, long asked) {
        this.file = dir.resolve(RunOutcome.FILE);
        this.iteration = iteration;
        this.asked = asked;
    }

    /** Writes the running record and starts the heartbeat. */
    static OutcomeFile start(Path dir, long iteration, long asked) throws IOException {
        OutcomeFile f = new OutcomeFile(dir, iteration, asked);
        f.write(State.RUNNING, iteration, "");
        f.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rnn-outcome-heartbeat");
            t.setDaemon(true);
            return t;
        });
        f.heartbeat.scheduleWithFixedDelay(
                f::beat, RunOutcome.HEARTBEAT_SECONDS, RunOutcome.HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return f;
    }

    /** The iterations reached so far, for the next heartbeat. */
    void reached(long iterations) {
        iteration = iterations;
    }

    /** Renews the running record now (the heartbeat thread does so every few seconds). */
    synchronized void beat() {
        if (ended) {
            return;
        }
        try {
            write(State.RUNNING, iteration, "");
        } catch (IOException e) {
            // A full disk shows at the next checkpoint, which says what was kept; the heartbeat just misses a beat.
        }
    }

    /** The session's end; the record is final. */
    synchronized void end(State state, long reached, String message) throws IOException {
        stop();
        write(state, reached, message);
    }

    /** A failure's record, written if it can be: the failure itself is what the caller reports. */
    synchronized void failed(String message) {
        if (ended) {
            return;
        }
        stop();
        try {
            write(State.FAILED, iteration, message);
        } catch (IOException | RuntimeException e) {
            // The failure may be the disk's: then the running record stays, and its heartbeat goes stale.
        }
    }

    private void stop() {
        ended = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void write(State state, long reached, String message) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("state", state.key());
        o.put("iteration", reached);
        o.put("iterations", asked);
        o.put("message", message == null ? "" : message);
        o.put("pid", ProcessHandle.current().pid());
        o.put("host", HOST);
        o.put("started", started);
        o.put("heartbeat", Instant.now().toString());
        o.put("heartbeat_every_seconds", RunOutcome.HEARTBEAT_SECONDS);
        AtomicFile.writeString(file, Json.write(o) + "\n");
    }

    /** The kernel's host name where it can be read without a network lookup (which may hang); empty elsewhere. */
    private static String host() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                return Files.readString(p).strip();
            }
        } catch (IOException | RuntimeException e) {
            // Fall through.
        }
        String h = System.getenv("COMPUTERNAME");
        return h == null ? "" : h;
    }
}
