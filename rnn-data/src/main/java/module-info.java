/**
 * Sequences from NumPy and CSV files as a task, batched predictions, and PyTorch models in and
 * out (safetensors, ONNX).
 */
module org.bptt.data {
    requires org.bptt.api;
    requires org.bptt.training;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.databind;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;

    exports org.bptt.data;

    provides org.bptt.training.run.InitialWeights.Source with
            org.bptt.data.InitFrom.Provider;
    provides org.bptt.api.data.TaskFactory with
            org.bptt.data.FileTaskFactory,
            org.bptt.data.GaussianTaskFactory;
}
