/** HTML reports of training runs and analyses: inline SVG charts, no scripts, work offline. */
module org.bptt.report {
    requires transitive org.bptt.training;
    requires java.desktop;
    requires org.jfree.svg;
    requires org.jfree.jfreechart;

    exports org.bptt.report;
}
