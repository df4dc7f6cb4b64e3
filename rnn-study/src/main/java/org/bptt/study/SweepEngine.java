package org.bptt.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A way to run a sweep other than this machine's threads, found by {@link java.util.ServiceLoader}
 * so that its libraries are on the class path only when it is asked for: the Spark engine lives
 * in rnn-spark, which depends on this library (not on the command line), and whose jars a front
 * end adds to its class path only when that engine is chosen. An engine trains each entry with
 * {@link Trials#run} into {@code FOLDER/runs/<id>/}, as the local engine does, and
 * writes the same summary.
 *
 * <p>Called once per command, on the command's thread. The listener's {@code started},
 * {@code finished} and {@code done} may come from any thread.
 */
public interface SweepEngine {
    /** The name a front end selects it by: short, lower case. */
    String name();

    /**
     * The plan saved in a sweep folder.
     *
     * @param folder a path, or a URI the engine can reach (hdfs://, s3a://), as the user gave it
     * @throws org.bptt.api.plugin.ConfigurationException when there is no plan or it is not one
     */
    SweepPlan readPlan(String folder) throws IOException;

    /**
     * Saves the plan in {@code folder} (or checks that the plan there is this one), trains every
     * entry that has no result yet, and writes {@code summary.csv} and {@code summary.html}.
     *
     * @param folder  the sweep folder: a path, or a URI the engine can reach, as the user gave it
     * @param request where and with what to run
     * @return every entry's row in plan order (those finished before included, failed ones as
     *         rows of status failed), the entries stopped before their end, the entries with no
     *         result, and whether the summary was written
     * @throws org.bptt.api.plugin.ConfigurationException for a request the engine cannot carry out
     */
    LocalSweep.Outcome run(SweepPlan plan, String folder, Request request, SweepListener listener) throws IOException;

    /**
     * @param master     where the engine runs (for Spark a master URL such as local[2] or yarn), or
     *                   null for its own default
     * @param pluginPath the plugin path of the command (jars and folders of plugins), which the
     *                   engine's workers must find at the same place
     */
    record Request(String master, List<Path> pluginPath) {
        public Request {
            pluginPath = List.copyOf(pluginPath);
        }
    }
}
