package org.bptt.training.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fresh JVM started like this one, so that a benchmark times a cold start as a user meets it. */
public final class ChildJvm {
    private ChildJvm() {}

    /** This JVM's java, JVM options and class path, running {@code mainClass} with {@code args}. */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(mainClass);
        c.addAll(args);
        return c;
    }
}
