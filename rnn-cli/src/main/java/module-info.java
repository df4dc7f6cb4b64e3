/** The rnn command line. */
module org.bptt.cli {
    requires org.bptt.api;
    requires org.bptt.training;
    // import, predict, export: data files and PyTorch models.
    requires org.bptt.data;
    // rnn tune and bench: the SIMD kernels' settings, their cache and the tuner.
    requires org.bptt.simd;
    // bench reports the load average beside its figures.
    requires java.management;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.logging;
    requires org.bptt.report;
    requires org.bptt.testkit;
    requires org.bptt.dashboard;
    requires org.bptt.study;
    requires me.tongfei.progressbar;
    // sun.misc.Signal: Ctrl-C and SIGTERM stop a training run after a checkpoint.
    requires jdk.unsupported;

    opens org.bptt.cli to
            info.picocli;
    opens org.bptt.cli.bench to
            info.picocli;
    opens org.bptt.cli.verify to
            info.picocli;
    opens org.bptt.cli.train to
            info.picocli,
            com.fasterxml.jackson.databind;
    opens org.bptt.cli.study to
            info.picocli;
    opens org.bptt.cli.data to
            info.picocli;
    // Sweep engines other than the local one (rnn-spark's) are found on the class path.
    uses org.bptt.study.SweepEngine;
}
