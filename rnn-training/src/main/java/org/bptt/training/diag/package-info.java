/** Diagnostics of exploding and vanishing gradients: spectra of W and Jacobian products. */
package org.bptt.training.diag;
