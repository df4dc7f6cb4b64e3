/** The rnn command line (picocli): train, verify, bench, analyze, generate, plugins. */
package org.bptt.cli;
