/** The optimizer SPI: updates parameters in place from their gradients. */
package org.bptt.api.optim;
