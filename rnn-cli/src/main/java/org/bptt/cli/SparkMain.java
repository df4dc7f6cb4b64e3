package org.bptt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of the jar for {@code spark-submit} (rnn-spark's rnn-spark-app.jar): the rnn
 * command line, where {@code sweep} runs on Spark unless told {@code --engine local}. It lives
 * here, with no Spark import, so that rnn-spark's code depends on the study library alone and
 * takes the command line only into its application jar. Returns normally on
 * success, as Spark's YARN application master expects (a System.exit there marks the
 * application failed); exits with the command's code otherwise.
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        int code =
                Main.run(withSparkEngine(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@code sweep ...} with {@code --engine spark} added when no engine is named (before a {@code --}). */
    public static String[] withSparkEngine(String[] args) {
        if (args.length == 0 || !args[0].equals("sweep") || args.length > 1 && args[1].equals("collect")) {
            return args;
        }
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--engine") || a.startsWith("--engine=")) {
                return args;
            }
        }
        List<String> l = new ArrayList<>(Arrays.asList(args));
        l.addAll(1, List.of("--engine", "spark"));
        return l.toArray(String[]::new);
    }
}
