/**
 * The plugin authors' test kit: contract checks for cells, gradient policies, optimizers,
 * truncations and initializers, as JUnit 5 bases and as a library ({@link org.bptt.testkit.Contracts});
 * conformance against reference cases ({@link org.bptt.testkit.conformance.Conformance}).
 */
module org.bptt.testkit {
    requires transitive org.bptt.api;
    // Conformance takes the platform's Plugins (rnn verify passes its plugin path's).
    requires transitive org.bptt.training;
    requires com.fasterxml.jackson.databind;
    // The fresh-JVM allocation probe starts with the platform's JVM options (org.bptt.simd.JvmOptions).
    requires org.bptt.simd;
    requires transitive org.junit.jupiter.api;
    requires java.management;
    requires jdk.management;

    exports org.bptt.testkit;
    exports org.bptt.testkit.conformance;
}
