/** Built-in losses: softmax cross-entropy and mean squared error (½‖o − t‖²). */
package org.bptt.plugins.loss;
