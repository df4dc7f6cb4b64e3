/** Dense float32 tensors (flat row-major arrays) and named parameter sets. */
package org.bptt.api.tensor;
