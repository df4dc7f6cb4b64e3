package org.bptt.api.plugin;

/** Stands for an API type a later rnn-api might add; present when the plugin is compiled, absent when it loads. */
public final class Novelty {
    private Novelty() {}

    public static String name() { return "novel"; }
}
