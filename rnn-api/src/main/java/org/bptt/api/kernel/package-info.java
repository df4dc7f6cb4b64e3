/**
 * The backend SPI: the dense float32 operations the trainer needs, a scalar reference
 * implementation, and the guard chain that picks a faster backend when one is present.
 */
package org.bptt.api.kernel;
