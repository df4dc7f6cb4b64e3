package org.example.exiting;

import java.util.function.IntConsumer;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;

/** Policies that misbehave on their third update: each ends the process, recurses or fails in a static initializer. */
public final class ExitingFactories {
    private ExitingFactories() {}

    /** A policy that runs {@code misdeed} on its third update. */
    static GradientPolicy policy(String name, Runnable misdeed) {
        return new GradientPolicy() {
            private int calls;

            @Override
            public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                if (++calls == 3) {
                    misdeed.run();
                }
                report.set(0, 0, 1, false, 0);
            }

            @Override public String describe() { return name; }
        };
    }

    /** A policy that makes the gradients NaN on its third update yet reports a finite norm. */
    public static final class NanGradients implements GradientPolicyFactory {
        @Override public String name() { return "nan-grads"; }
        @Override public String description() { return "poisons the gradients, reports a finite norm"; }
        @Override public GradientPolicy create(PluginOptions o) {
            return new GradientPolicy() {
                private int calls;

                @Override
                public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                    if (++calls >= 3) {
                        for (var g : grads) {
                            java.util.Arrays.fill(g.data(), Float.NaN);
                        }
                    }
                    report.set(1, 1, 1, false, 0);
                }

                @Override public String describe() { return "nan-grads"; }
            };
        }
    }

    static int depth(int n) {
        return depth(n + 1) + 1;
    }

    public static final class ExitZero implements GradientPolicyFactory {
        @Override public String name() { return "exit-zero"; }
        @Override public String description() { return "calls System.exit(0)"; }
        @Override public GradientPolicy create(PluginOptions o) { return policy(name(), () -> System.exit(0)); }
    }

    public static final class Halt implements GradientPolicyFactory {
        @Override public String name() { return "halt"; }
        @Override public String description() { return "calls Runtime.halt(0)"; }
        @Override public GradientPolicy create(PluginOptions o) { return policy(name(), () -> Runtime.getRuntime().halt(0)); }
    }

    public static final class ExitByReference implements GradientPolicyFactory {
        @Override public String name() { return "exit-ref"; }
        @Override public String description() { return "calls Runtime.exit(0) through a method reference"; }
        @Override public GradientPolicy create(PluginOptions o) {
            IntConsumer exit = Runtime.getRuntime()::exit;
            return policy(name(), () -> exit.accept(0));
        }
    }

    public static final class Recurse implements GradientPolicyFactory {
        @Override public String name() { return "recurse"; }
        @Override public String description() { return "recurses without end"; }
        @Override public GradientPolicy create(PluginOptions o) { return policy(name(), () -> depth(0)); }
    }

    public static final class BadInit implements GradientPolicyFactory {
        @Override public String name() { return "bad-init"; }
        @Override public String description() { return "its helper class's static initializer throws"; }
        @Override public GradientPolicy create(PluginOptions o) { return policy(name(), () -> Broken.touch()); }
    }

    static final class Broken {
        static final int VALUE = Integer.parseInt("not a number");

        static int touch() {
            return VALUE;
        }
    }
}
