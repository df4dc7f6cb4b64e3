/** The shared BPTT trainer and its Guice wiring. Sees only the SPIs of org.bptt.api. */
module org.bptt.training {
    requires transitive org.bptt.api;
    requires com.google.guice;
    requires jakarta.inject;
    requires ejml.core;
    requires ejml.ddense;

    exports org.bptt.training;
    exports org.bptt.training.bench;
    exports org.bptt.training.diag;
    exports org.bptt.training.wiring;

    opens org.bptt.training to com.google.guice;
    opens org.bptt.training.wiring to com.google.guice;
}
