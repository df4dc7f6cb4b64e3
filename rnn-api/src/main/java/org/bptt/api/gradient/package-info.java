/** The gradient-policy SPI: what happens to the gradients between backward pass and update (clipping). */
package org.bptt.api.gradient;
