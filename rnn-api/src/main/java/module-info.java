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
    exports org.bptt.api.schedule;
    // The scalar loops that define the kernels: the SIMD backend's reference and tails; not part of the plugin API.
    exports org.bptt.api.internal.kernel to
            org.bptt.simd,
            org.bptt.training;
    // The platform's own file handling (one atomic writer); not part of the plugin API.
    exports org.bptt.api.internal.io to
            org.bptt.simd,
            org.bptt.training,
            org.bptt.report,
            org.bptt.study,
            org.bptt.dashboard,
            org.bptt.cli,
            org.bptt.data;

    uses org.bptt.api.kernel.KernelsProvider;
    uses org.bptt.api.cell.CellFactory;
    uses org.bptt.api.loss.LossFactory;
    uses org.bptt.api.optim.OptimizerFactory;
    uses org.bptt.api.gradient.GradientPolicyFactory;
    uses org.bptt.api.truncation.TruncationFactory;
    uses org.bptt.api.init.InitializerFactory;
    uses org.bptt.api.data.TaskFactory;
    uses org.bptt.api.schedule.ScheduleFactory;
}
