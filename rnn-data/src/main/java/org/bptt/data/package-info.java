/**
 * Your data in, your models out: {@link org.bptt.data.DataFiles} reads sequences from NumPy
 * ({@code .npz}, {@code .npy}) and CSV files, {@link org.bptt.data.ArrayTask} trains on them,
 * {@link org.bptt.data.Predictions} runs a trained network over a batch.
 */
package org.bptt.data;
