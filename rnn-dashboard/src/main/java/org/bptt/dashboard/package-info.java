/**
 * {@code rnn dashboard}: {@link org.bptt.dashboard.Dashboard} serves every run under a folder
 * (as TensorBoard's {@code --logdir} does) to a page that polls for new metrics; a
 * {@link org.bptt.dashboard.LiveRun} feeds it a run training in the same process.
 */
package org.bptt.dashboard;
