/**
 * Example outside plugin: GRU and LSTM cells with PyTorch's equations and parameter layout,
 * and the {@code autoclip} gradient policy. Needs only the platform's SPI; exports nothing,
 * since the platform reaches the plugins through {@link java.util.ServiceLoader}.
 */
module org.bptt.examples.gated {
    requires org.bptt.api;

    provides org.bptt.api.cell.CellFactory with
            org.bptt.examples.gated.cell.GruCellFactory,
            org.bptt.examples.gated.cell.LstmCellFactory;
    provides org.bptt.api.gradient.GradientPolicyFactory with
            org.bptt.examples.gated.policy.AutoClipFactory;
}
