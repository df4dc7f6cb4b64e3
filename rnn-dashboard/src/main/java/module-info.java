/** A live dashboard of training runs: a read-only local web server over a folder of runs, charts drawn in the browser. */
module org.bptt.dashboard {
    requires transitive org.bptt.training;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;

    exports org.bptt.dashboard;
}
