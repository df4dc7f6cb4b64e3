package org.bptt.cli;

import java.io.PrintWriter;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.cli.train.TrainCommand;
import org.bptt.cli.bench.BenchCommand;
import org.bptt.cli.verify.VerifyCommand;
import org.bptt.cli.study.CompareCommand;
import org.bptt.cli.study.EvaluateCommand;
import org.bptt.cli.study.ExperimentCommand;
import org.bptt.cli.study.SweepCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./rnn}. Exit codes: 0 success, 1 a check or run failed, 2 bad input. */
@Command(name = "rnn", mixinStandardHelpOptions = true, version = "rnn 0.1.0",
        description = "Train, verify and benchmark recurrent networks by backpropagation through time; sweep, evaluate, "
                + "compare and run experiments.",
        subcommands = {TrainCommand.class, VerifyCommand.class, BenchCommand.class, AnalyzeCommand.class, GenerateCommand.class, PluginsCommand.class, SweepCommand.class,
                EvaluateCommand.class, CompareCommand.class, ExperimentCommand.class,
                CommandLine.HelpCommand.class})
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
        // A malformed flag (not a number, unknown option, missing value) is one line too, not the whole usage.
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("rnn " + c.getCommandName() + ": " + ex.getMessage() + " (see rnn "
                    + c.getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigurationException) {
                commandLine.getErr().println("rnn " + commandLine.getCommandName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            RuntimeException failure = ex instanceof Exception e ? PluginFailure.attribute(e) : null;
            if (failure instanceof PluginFailure) {
                commandLine.getErr().println("rnn " + commandLine.getCommandName() + ": " + failure.getMessage());
                return EXIT_FAILED;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
