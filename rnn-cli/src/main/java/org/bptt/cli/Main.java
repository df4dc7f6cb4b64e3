package org.bptt.cli;

import java.io.PrintWriter;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.cli.bench.BenchCommand;
import org.bptt.cli.bench.TuneCommand;
import org.bptt.cli.study.CompareCommand;
import org.bptt.cli.study.EvaluateCommand;
import org.bptt.cli.study.ExperimentCommand;
import org.bptt.cli.study.SweepCommand;
import org.bptt.cli.train.TrainCommand;
import org.bptt.cli.verify.VerifyCommand;
import org.bptt.training.config.RunFailure;
import org.bptt.training.plugin.PluginFailure;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./rnn}. Exit codes ({@code rnn --help} lists them): 0 success, 1 a check or
 * run failed (with what was kept), 2 bad input (one sentence), 130 and 143 a training run stopped
 * by SIGINT or SIGTERM after saving a checkpoint.
 */
@Command(
        name = "rnn",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "Train, verify and benchmark recurrent networks by backpropagation through time; sweep, evaluate, "
                        + "compare and run experiments.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a check or a run failed (what was kept is said)",
            "2:bad input (one sentence says what)",
            "130:a training run stopped by Ctrl-C, after saving a checkpoint",
            "143:a training run stopped by SIGTERM, " + "after saving a checkpoint"
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  RNN_PLUGINS    plugin jars and folders (as --plugins)",
            "  RNN_JAVA_OPTS  more JVM options for the launcher",
            "  NO_COLOR       set to anything but empty: no colour in progress bars",
            "  RNN_DEBUG      set: stack traces of internal errors"
        },
        subcommands = {
            TrainCommand.class,
            VerifyCommand.class,
            BenchCommand.class,
            TuneCommand.class,
            AnalyzeCommand.class,
            GenerateCommand.class,
            PluginsCommand.class,
            CheckCommand.class,
            DashboardCommand.class,
            SweepCommand.class,
            EvaluateCommand.class,
            CompareCommand.class,
            ExperimentCommand.class,
            org.bptt.cli.data.ImportCommand.class,
            org.bptt.cli.data.PredictCommand.class,
            org.bptt.cli.data.ExportCommand.class,
            JvmOptionsCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class Main implements Runnable {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams; returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // One-line log records: the only expected one is the SIMD fallback warning.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "rnn: %4$s: %5$s%6$s%n");
        }
        HelpDefaults.publish(args);
        CommandLine cl = new CommandLine(new Main());
        // An option given twice is a mistake, not "the last one wins".
        cl.setOverwrittenOptionsAllowed(false);
        cl.setOut(out);
        cl.setErr(err);
        if (!colour()) {
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        // A malformed flag (not a number, unknown option, missing value) is one line too, not the whole usage.
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            if (c.getParent() == null
                    && ex instanceof CommandLine.UnmatchedArgumentException u
                    && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-")) {
                c.getErr()
                        .println(oneLine("rnn: unknown command "
                                + PluginOptions.shown(u.getUnmatched().get(0)) + "; the commands are "
                                + String.join(", ", c.getSubcommands().keySet()) + " (see " + typed("--help") + ")"));
                return EXIT_USAGE;
            }
            String name = c.getParent() == null ? "rnn" : "rnn " + c.getCommandName();
            c.getErr()
                    .println(oneLine(name + ": " + plain(ex.getMessage()) + " (see "
                            + typed(c.getParent() == null ? "--help" : c.getCommandName() + " --help") + ")"));
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String name = "rnn " + commandLine.getCommandName() + ": ";
            PrintWriter e = commandLine.getErr();
            if (ex instanceof ConfigurationException) {
                e.println(oneLine(name + ex.getMessage()));
                return EXIT_USAGE;
            }
            if (ex instanceof RunFailure) {
                e.println(oneLine(name + ex.getMessage()));
                return EXIT_FAILED;
            }
            RuntimeException failure = PluginFailure.attribute(ex);
            if (failure instanceof PluginFailure) {
                e.println(oneLine(name + failure.getMessage()));
                return EXIT_FAILED;
            }
            if (ex instanceof java.io.IOException io) {
                e.println(oneLine(name + "cannot read or write a file (" + io.getMessage() + ")"));
                return EXIT_FAILED;
            }
            return internalError(e, name, ex);
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError ex) {
            // Errors pass by picocli's handlers: the command's input asked for more than this JVM has, or a plugin
            // recursed.
            RuntimeException plugin = ex instanceof StackOverflowError ? PluginFailure.attribute(ex) : null;
            String what = ex instanceof OutOfMemoryError
                    ? "ran out of memory (this JVM may use "
                            + (Runtime.getRuntime().maxMemory() >> 20) + " MB; "
                            + "give it more with RNN_JAVA_OPTS=-Xmx..., or ask for less)"
                    : plugin instanceof PluginFailure
                            ? plugin.getMessage()
                            : "the work recursed too deeply (a stack overflow: input nested too deeply, or a bug)";
            err.println(oneLine("rnn" + command(args) + ": " + what));
            code = EXIT_FAILED;
        } catch (Error ex) {
            // Other errors pass by picocli's handlers too: a plugin's linkage error (a damaged jar), or a bug.
            RuntimeException plugin = PluginFailure.attribute(ex);
            if (plugin instanceof PluginFailure) {
                err.println(oneLine("rnn" + command(args) + ": " + plugin.getMessage()));
                code = EXIT_FAILED;
            } else {
                code = internalError(err, "rnn" + command(args) + ": ", ex);
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    private static String command(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return " " + (a.length() > 20 ? a.substring(0, 20) : a);
            }
        }
        return "";
    }

    /**
     * A failure nobody foresaw is a bug: one line that says so, with the stack trace only when
     * {@value #DEBUG_ENV} is set, so that a user is never handed a trace for a mistake of theirs.
     */
    private static int internalError(PrintWriter err, String name, Throwable ex) {
        err.println(oneLine(name + "internal error (" + ex + "); this is a bug in rnn, please report it"
                + (System.getenv(DEBUG_ENV) == null ? " (set " + DEBUG_ENV + "=1 to see where it happened)" : "")));
        if (System.getenv(DEBUG_ENV) != null) {
            ex.printStackTrace(err);
        }
        return EXIT_FAILED;
    }

    static final String DEBUG_ENV = "RNN_DEBUG";

    /** Whether output may be coloured: not when {@code NO_COLOR} is set to anything but empty (no-color.org). */
    public static boolean colour() {
        String v = System.getenv("NO_COLOR");
        return v == null || v.isEmpty();
    }

    /** {@code rnn --version}: the version the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (var in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "rnn " + p.getProperty("version", "(unknown version: built without Maven's resources)"),
                "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + "; Apache-2.0"
            };
        }
    }

    /** Set by the launcher to what the user typed to start it ({@code ./rnn}, {@code bin/rnn}, {@code rnn} on the PATH). */
    static final String LAUNCHER_PROPERTY = "rnn.launcher";

    /**
     * The command a hint tells the user to type: the launcher as they started it, followed by
     * {@code command} ("./rnn train --resume runs/x"); "rnn" when nothing says how (tests, the Java API).
     */
    public static String typed(String command) {
        String launcher = System.getProperty(LAUNCHER_PROPERTY, "").strip();
        return (launcher.isEmpty() ? "rnn" : launcher) + (command.isEmpty() ? "" : " " + command);
    }

    private static final java.util.regex.Pattern CANNOT_CONVERT = java.util.regex.Pattern.compile(
            "^(.*?): cannot convert '(.*)' to (?:interface |class )?([\\w.$]+)(?: \\(.*\\))?$",
            java.util.regex.Pattern.DOTALL);

    /** picocli's "cannot convert 'x' to interface java.nio.file.Path (java.nio.file.InvalidPathException: …)" in the user's terms. */
    static String plain(String message) {
        java.util.regex.Matcher m = CANNOT_CONVERT.matcher(message == null ? "" : message);
        if (!m.matches()) {
            return message;
        }
        String type = m.group(3);
        String kind = type.endsWith("Path") || type.endsWith("File")
                ? "a valid path"
                : type.matches("(?i).*(int|integer|long)")
                        ? "a whole number"
                        : type.matches("(?i).*(double|float)") ? "a number" : "a valid value";
        return m.group(1) + ": " + PluginOptions.shown(m.group(2).replace("\u0000", "\\0")) + " is not " + kind;
    }

    /** A message as one line: line breaks become spaces, and long words (a pasted value, a path) are shortened. */
    public static String oneLine(String message) {
        // Line breaks become spaces; other control characters (a NUL in a pasted value) are shown as '?'.
        String m =
                message == null ? "" : message.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?");
        StringBuilder b = new StringBuilder(Math.min(m.length(), 1000));
        for (String word : m.split(" ", -1)) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(
                    word.codePointCount(0, word.length()) > 80
                            ? word.substring(0, word.offsetByCodePoints(0, 60)) + "…"
                            : word);
        }
        String r = b.toString();
        return r.codePointCount(0, r.length()) > 1000 ? r.substring(0, r.offsetByCodePoints(0, 997)) + "…" : r;
    }
}
