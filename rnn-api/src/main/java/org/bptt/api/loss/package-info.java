/** The loss SPI: per-row loss and its gradient with respect to the readout o_t = V h_t + c. */
package org.bptt.api.loss;
