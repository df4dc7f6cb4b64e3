/**
 * The platform's service-provider interfaces, value types and scalar reference kernels.
 * No third-party dependencies: a plugin author needs only this module.
 */
module org.bptt.api {
    exports org.bptt.api.tensor;
    exports org.bptt.api.kernel;
    exports org.bptt.api.cell;
    exports org.bptt.api.loss;
    exports org.bptt.api.optim;
    exports org.bptt.api.gradient;
    exports org.bptt.api.truncation;
    exports org.bptt.api.init;
    exports org.bptt.api.plugin;
    exports org.bptt.api.data;

    uses org.bptt.api.kernel.KernelsProvider;
}
