/** The built-in learning-rate schedules: constant, step, cosine and plateau, each with a linear warm-up. */
package org.bptt.plugins.schedule;
