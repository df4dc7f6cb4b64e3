package org.bptt.plugins.task;

import java.util.List;
import java.util.Set;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code copy}: reproduce a few symbols after a long delay; see {@link CopyTask} for the exact layout. */
public final class CopyTaskFactory implements TaskFactory {
    static final int DEFAULT_SYMBOLS = 5;
    static final int DEFAULT_DELAY = 10;
    static final int DEFAULT_ALPHABET = 8;
    /** Keeps T·B·I within an array for any sane batch; far beyond what BPTT can learn anyway. */
    static final int MAX_STEPS = 1_000_000;

    @Override public String name() { return "copy"; }

    @Override
    public String description() {
        return "copy memory: see some symbols, wait, and after the delimiter reproduce them in order (ce); "
                + "T = symbols + delay + symbols";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(
                new PluginParameter("symbols", Integer.toString(DEFAULT_SYMBOLS), "how many symbols to remember, at least 1"),
                new PluginParameter("delay", Integer.toString(DEFAULT_DELAY),
                        "steps between the last symbol and the first recall, the last of them the delimiter; at least 1"),
                new PluginParameter("alphabet", Integer.toString(DEFAULT_ALPHABET), "number of distinct symbols, at least 2"));
    }

    @Override
    public Task create(PluginOptions options) {
        options.requireOnly(Set.of("symbols", "delay", "alphabet"));
        int symbols = options.atLeast("symbols", DEFAULT_SYMBOLS, 1);
        int delay = options.atLeast("delay", DEFAULT_DELAY, 1);
        int alphabet = options.atLeast("alphabet", DEFAULT_ALPHABET, 2);
        if (alphabet > 65_536) {
            throw new ConfigurationException(options.owner() + ": option 'alphabet' must be at most 65536, got " + alphabet);
        }
        long steps = 2L * symbols + delay;
        if (steps > MAX_STEPS) {
            throw new ConfigurationException(options.owner() + ": symbols + delay + symbols must be at most " + MAX_STEPS
                    + " steps, got " + steps);
        }
        return new CopyTask(symbols, delay, alphabet);
    }
}
