/**
 * The built-in plugins of every family. Each is registered here with {@code provides} and
 * in META-INF/services, so ServiceLoader finds it on the module path and the class path.
 */
module org.bptt.plugins {
    requires org.bptt.api;
    requires ejml.core;
    requires ejml.ddense;

    exports org.bptt.plugins.cell;
    exports org.bptt.plugins.loss;
    exports org.bptt.plugins.gradient;
    exports org.bptt.plugins.truncation;
    exports org.bptt.plugins.task;

    provides org.bptt.api.data.TaskFactory with
            org.bptt.plugins.task.AddingTaskFactory,
            org.bptt.plugins.task.MultiplicationTaskFactory,
            org.bptt.plugins.task.TemporalOrderTaskFactory,
            org.bptt.plugins.task.CopyTaskFactory,
            org.bptt.plugins.task.SineTaskFactory,
            org.bptt.plugins.task.TextTaskFactory;
    provides org.bptt.api.cell.CellFactory with
            org.bptt.plugins.cell.VanillaCellFactory;
    provides org.bptt.api.loss.LossFactory with
            org.bptt.plugins.loss.CrossEntropyLossFactory,
            org.bptt.plugins.loss.MseLossFactory;
    provides org.bptt.api.optim.OptimizerFactory with
            org.bptt.plugins.optim.OptimizerFactories.SgdFactory,
            org.bptt.plugins.optim.OptimizerFactories.AdamFactory,
            org.bptt.plugins.optim.OptimizerFactories.AdamWFactory,
            org.bptt.plugins.optim.OptimizerFactories.RmsPropFactory,
            org.bptt.plugins.optim.OptimizerFactories.AdagradFactory;
    provides org.bptt.api.gradient.GradientPolicyFactory with
            org.bptt.plugins.gradient.Policies.NoneFactory,
            org.bptt.plugins.gradient.Policies.ClipNormFactory,
            org.bptt.plugins.gradient.Policies.ClipValueFactory;
    provides org.bptt.api.truncation.TruncationFactory with
            org.bptt.plugins.truncation.Truncations.FullFactory,
            org.bptt.plugins.truncation.Truncations.TbpttFactory;
    provides org.bptt.api.init.InitializerFactory with
            org.bptt.plugins.init.Initializers.XavierFactory,
            org.bptt.plugins.init.Initializers.OrthogonalFactory,
            org.bptt.plugins.init.Initializers.IdentityFactory,
            org.bptt.plugins.init.Initializers.SpectralFactory,
            org.bptt.plugins.init.Initializers.UniformFactory;
    provides org.bptt.api.schedule.ScheduleFactory with
            org.bptt.plugins.schedule.Schedules.ConstantFactory,
            org.bptt.plugins.schedule.Schedules.StepFactory,
            org.bptt.plugins.schedule.Schedules.CosineFactory,
            org.bptt.plugins.schedule.Schedules.PlateauFactory;
}
