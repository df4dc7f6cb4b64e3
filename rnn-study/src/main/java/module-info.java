/**
 * Studies on top of the library: sweep plans, running one plan entry into one run folder and
 * returning its summary row, summaries of many runs, comparisons, and the built-in experiments.
 * Speaks in library terms only; the command line lives in rnn-cli.
 */
module org.bptt.study {
    requires transitive org.bptt.training;
    requires org.bptt.report;
    requires com.fasterxml.jackson.databind;
    requires org.jfree.jfreechart;
    requires java.desktop;

    exports org.bptt.study;
    exports org.bptt.study.experiment;
}
