/** The shared BPTT trainer and its Guice wiring. Sees only the SPIs of org.bptt.api. */
module org.bptt.training {
    requires transitive org.bptt.api;
    requires com.google.guice;
    // Guice's Guava: an explicit module since Guava 33.4, which Guice, an automatic module, does not
    // bring into the module graph itself (on the module path Guice would fail to find it).
    requires com.google.common;
    requires jakarta.inject;
    requires ejml.core;
    requires ejml.ddense;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires org.objectweb.asm;

    exports org.bptt.training;
    exports org.bptt.training.bench;
    exports org.bptt.training.diag;
    exports org.bptt.training.wiring;
    exports org.bptt.training.config;
    exports org.bptt.training.run;
    exports org.bptt.training.eval;
    exports org.bptt.training.plugin;

    uses org.bptt.api.kernel.KernelsProvider;
    uses org.bptt.api.cell.CellFactory;
    uses org.bptt.api.loss.LossFactory;
    uses org.bptt.api.optim.OptimizerFactory;
    uses org.bptt.api.gradient.GradientPolicyFactory;
    uses org.bptt.api.truncation.TruncationFactory;
    uses org.bptt.api.schedule.ScheduleFactory;
    uses org.bptt.api.init.InitializerFactory;
    uses org.bptt.api.data.TaskFactory;
    uses org.bptt.training.run.InitialWeights.Source;

    opens org.bptt.training to
            com.google.guice;
    opens org.bptt.training.wiring to
            com.google.guice,
            com.fasterxml.jackson.databind;
    opens org.bptt.training.config to
            com.fasterxml.jackson.databind;
    opens org.bptt.training.run to
            com.fasterxml.jackson.databind;
}
