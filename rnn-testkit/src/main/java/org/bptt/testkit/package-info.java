/**
 * Contract tests for plugin authors. Extend the JUnit 5 base of your plugin's family —
 * {@link org.bptt.testkit.CellContract}, {@link org.bptt.testkit.GradientPolicyContract},
 * {@link org.bptt.testkit.OptimizerContract}, {@link org.bptt.testkit.TruncationContract},
 * {@link org.bptt.testkit.InitializerContract} — and return your factory; or run the same
 * checks from code with {@link org.bptt.testkit.Contracts#check}. Each check yields a
 * {@link org.bptt.testkit.ContractResult}; {@link org.bptt.testkit.ContractSettings} holds
 * what an author may tell the checks (sizes, unsupported sizes, bad options, allocation budget).
 */
package org.bptt.testkit;
