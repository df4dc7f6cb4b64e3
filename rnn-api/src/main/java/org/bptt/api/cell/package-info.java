/**
 * The cell SPI: one recurrent time step, forward and backward, over a batch. The built-in
 * vanilla cell lives in rnn-plugins; third parties add gated cells (GRU, LSTM) here.
 */
package org.bptt.api.cell;
