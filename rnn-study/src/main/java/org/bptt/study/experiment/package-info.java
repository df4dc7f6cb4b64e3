/**
 * Curated studies that state a published claim, run it, and give a verdict with a table and a
 * chart: {@code spectrum} (the lecture's λ₀^(T−k)), {@code irnn} (Le, Jaitly &amp; Hinton 2015) and
 * {@code pascanu} (Pascanu, Mikolov &amp; Bengio 2013).
 */
package org.bptt.study.experiment;
