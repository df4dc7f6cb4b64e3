/** {@code rnn sweep}, {@code evaluate}, {@code compare} and {@code experiment}: thin commands over rnn-study. */
package org.bptt.cli.study;
