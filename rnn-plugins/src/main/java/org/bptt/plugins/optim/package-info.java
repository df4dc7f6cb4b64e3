/** Built-in optimizers: SGD with momentum, Adam, RMSprop, Adagrad, as the reference cases define them. */
package org.bptt.plugins.optim;
