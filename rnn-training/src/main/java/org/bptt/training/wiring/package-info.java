/** Guice wiring: plugin families found by ServiceLoader, and the trainer assembled from a configuration. */
package org.bptt.training.wiring;
