/**
 * The {@code gru} and {@code lstm} cells: PyTorch's nn.GRU and nn.LSTM equations, batched
 * like the platform's vanilla cell (one input product per window, one packed recurrent
 * product per step, element-wise work through the gated-cell kernels of
 * {@link org.bptt.api.kernel.Kernels}), split over batch parts for threads.
 */
package org.bptt.examples.gated.cell;
