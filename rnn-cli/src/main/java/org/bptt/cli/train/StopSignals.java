package org.bptt.cli.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a request to stop after the next checkpoint, so that an
 * interrupted run can be continued; a second signal stops at once (the run folder is
 * crash-consistent either way). The JVM's own handlers, which would end the process without a
 * checkpoint, are put back by {@link #close}. Exit codes follow the shell's convention: 128 +
 * the signal's number, 130 for SIGINT and 143 for SIGTERM.
 */
final class StopSignals implements AutoCloseable {
    private final PrintStream err;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile Signal received;

    private StopSignals(PrintStream err) {
        this.err = err;
    }

    /** Installs the handlers where the platform has them (a JVM started with -Xrs has none to replace). */
    static StopSignals install(PrintStream err) {
        StopSignals s = new StopSignals(err);
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                SignalHandler old = Signal.handle(sig, s::handle);
                s.signals.add(sig);
                s.previous.add(old);
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                // No such signal here (SIGTERM on some platforms), or signals are reserved: the JVM's default stays.
            }
        }
        return s;
    }

    private void handle(Signal sig) {
        if (received != null) {
            err.println("rnn train: stopped at once by a second SIG" + sig.getName());
            err.flush();
            Runtime.getRuntime().halt(128 + sig.getNumber());
        }
        received = sig;
        err.println("rnn train: SIG" + sig.getName()
                + " received; stopping after a checkpoint (send it again to stop at once)");
        err.flush();
    }

    boolean stopRequested() {
        return received != null;
    }

    /** SIGINT or SIGTERM, or null when none arrived. */
    String signalName() {
        return received == null ? null : "SIG" + received.getName();
    }

    /** 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        return received == null ? 0 : 128 + received.getNumber();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException e) {
                // Could not be restored: the process is ending anyway.
            }
        }
        signals.clear();
        previous.clear();
    }
}
