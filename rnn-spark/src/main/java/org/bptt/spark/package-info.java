/**
 * Sweeps on Apache Spark: {@link org.bptt.spark.SparkSweep} runs a sweep plan with one Spark task
 * per training, run folders on shared storage through Hadoop's FileSystem API, and the summary
 * written by the driver; {@link org.bptt.spark.SparkEngine} is {@code rnn sweep --engine spark};
 * {@link org.bptt.spark.SparkMain} is the main class of the jar for spark-submit.
 */
package org.bptt.spark;
