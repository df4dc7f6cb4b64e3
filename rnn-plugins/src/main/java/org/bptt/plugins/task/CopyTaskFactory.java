package org.bptt.plugins.task;

import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code copy}: reproduce a few symbols after a long delay; see {@link CopyTask} for the exact layout. */
public final class CopyTaskFactory implements TaskFactory {
    static final PluginOption<Integer> SYMBOLS =
            PluginOption.integer("symbols", 5, "how many symbols to remember").atLeast(1);
    static final PluginOption<Integer> DELAY = PluginOption.integer(
                    "delay", 10, "steps between the last symbol and the first recall, the last of them the delimiter")
            .atLeast(1);
    static final PluginOption<Integer> ALPHABET = PluginOption.integer("alphabet", 8, "number of distinct symbols")
            .atLeast(2)
            .atMost(65_536);
    /** Keeps T·B·I within an array for any sane batch; far beyond what BPTT can learn anyway. */
    static final int MAX_STEPS = TaskSupport.MAX_STEPS;

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String description() {
        return "copy memory: see some symbols, wait, and after the delimiter reproduce them in order (ce); "
                + "T = symbols + delay + symbols";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(SYMBOLS, DELAY, ALPHABET);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, SYMBOLS, DELAY, ALPHABET);
        int symbols = SYMBOLS.read(options);
        int delay = DELAY.read(options);
        int alphabet = ALPHABET.read(options);
        long steps = 2L * symbols + delay;
        if (steps > MAX_STEPS) {
            throw new ConfigurationException(options.owner() + ": symbols + delay + symbols must be at most "
                    + MAX_STEPS + " steps, got " + steps);
        }
        return new CopyTask(symbols, delay, alphabet);
    }
}
