package org.bptt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.dashboard.Dashboard;
import org.bptt.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn dashboard [DIR]}: a live view of every run under a folder, in the browser. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Serve a live dashboard of every run under a folder (as TensorBoard's --logdir does): loss, "
                    + "gradient norm against the clip threshold, spectral radius, the gradient-flow heatmap, the eigenvalues "
                    + "of W and each run's verdict, several runs overlaid, with smoothing, log or linear axes and values on "
                    + "hover. The page asks for new data every 2 seconds, so runs appear and grow as they train.",
            "Read-only: it answers GET requests for the page and the runs' files and nothing else, never outside the "
                    + "folder. Stop it with Ctrl-C.",
            PluginPathOption.NEEDED_TO_READ
        })
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..1",
            defaultValue = "runs",
            description = "The folder of runs (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--port",
            defaultValue = "" + Dashboard.DEFAULT_PORT,
            description = "The port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = Dashboard.DEFAULT_HOST,
            description = "The address to listen on (default: "
                    + "${DEFAULT-VALUE}, this machine only; 0.0.0.0 shows the runs to the network).")
    String host;

    @Mixin
    PluginPathOption pluginPath;

    /**
     * A dashboard of one run training in this process ({@code rnn train --dashboard}): its folder,
     * on the default port or, when that is taken, a free one; the run is shown from memory as it trains.
     */
    public static Dashboard openFor(TrainingRun run, PrintWriter out) {
        Dashboard d;
        try {
            d = Dashboard.start(
                    run.folder(),
                    Dashboard.DEFAULT_HOST,
                    Dashboard.DEFAULT_PORT,
                    run.network().plugins());
        } catch (ConfigurationException e) {
            d = Dashboard.start(
                    run.folder(), Dashboard.DEFAULT_HOST, 0, run.network().plugins());
        }
        out.println("dashboard: " + d.uri());
        out.flush();
        return d;
    }

    /**
     * After the run: keeps the dashboard up until Enter when a person is at the terminal (the page
     * would otherwise vanish with the process), closes it at once otherwise.
     */
    public static void holdOpen(Dashboard d, PrintWriter out) {
        try (d) {
            if (interactive()) {
                out.println("the dashboard stays at " + d.uri() + "; press Enter to stop it");
                out.flush();
                new java.io.BufferedReader(
                                new java.io.InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset()))
                        .readLine();
            }
        } catch (java.io.IOException e) {
            // Standard input closed: nobody is there to press Enter.
        }
    }

    /** Whether standard input and output are a terminal (JDK 22+'s Console.isTerminal, else a console at all). */
    private static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (Dashboard d = Dashboard.start(dir, host, port, pluginPath.plugins())) {
            out.println("dashboard of " + d.folder() + " at " + d.uri() + " (Ctrl-C stops it)");
            if (!d.loopbackOnly()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(
                        "warning: the dashboard listens beyond this machine; anyone who can reach "
                                + d.addresses().stream()
                                        .map(Object::toString)
                                        .collect(java.util.stream.Collectors.joining(", "))
                                + " sees the runs' folder names, configurations and metrics (--host 127.0.0.1 keeps them to this machine)");
                err.flush();
            }
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
