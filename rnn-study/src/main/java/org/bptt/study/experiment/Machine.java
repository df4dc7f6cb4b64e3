package org.bptt.study.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What an experiment ran on, for its record: the CPU model and the cores the JVM sees. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the architecture will do.
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return cores + " core" + (cores == 1 ? "" : "s") + " of " + cpu + ", Java "
                + Runtime.version().feature();
    }
}
