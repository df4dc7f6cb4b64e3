package org.bptt.testkit.samples;

import java.util.List;
import java.util.Set;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** Factories of {@link SampleAdam} that get their options wrong, one way each. */
public final class SloppyOptions {
    private SloppyOptions() {}

    private abstract static class Base implements OptimizerFactory {
        @Override
        public String name() {
            return "sloppy-adam";
        }

        @Override
        public String description() {
            return "sample-adam with careless options";
        }

        @Override
        public List<PluginParameter> parameters() {
            return List.of(new PluginParameter("lr", "0.001", "learning rate, > 0"));
        }
    }

    /** Ignores options it does not know, so a typo goes unnoticed. */
    public static final class IgnoresUnknown extends Base {
        @Override
        public Optimizer create(PluginOptions o) {
            return new SampleAdam(o.positive("lr", 0.001), 0.9, 0.999, 1e-8, SampleAdam.Flaw.NONE);
        }
    }

    /** Parses with Double.parseDouble: a malformed number escapes as a NumberFormatException. */
    public static final class ParsesByHand extends Base {
        @Override
        public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr"));
            return new SampleAdam(Double.parseDouble(o.string("lr", "0.001")), 0.9, 0.999, 1e-8, SampleAdam.Flaw.NONE);
        }
    }

    /** Declares lr's default as 0.001 but uses 0.01. */
    public static final class WrongDefault extends Base {
        @Override
        public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr"));
            return new SampleAdam(o.positive("lr", 0.01), 0.9, 0.999, 1e-8, SampleAdam.Flaw.NONE);
        }
    }

    /** Takes any number for lr, negative ones too. */
    public static final class AcceptsNegativeRate extends Base {
        @Override
        public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr"));
            return new SampleAdam(Math.abs(o.number("lr", 0.001)), 0.9, 0.999, 1e-8, SampleAdam.Flaw.NONE);
        }
    }
}
