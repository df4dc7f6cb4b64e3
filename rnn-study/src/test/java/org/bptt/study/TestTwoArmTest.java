package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The two-arm tests against values computed by hand and published by R and SciPy. */
final class TestTwoArmTest {

    @Test
    void fisherOnTwoOfSixAgainstNoneOfSix() {
        // Tables with 2 successes in 12 runs: P(X=0) = P(X=2) = 15/66, P(X=1) = 36/66 (R: fisher.test gives 0.4545).
        TwoArmTest.P p = TwoArmTest.fisher(2, 6, 0, 6);
        assertEquals(30.0 / 66, p.twoSided(), 1e-12);
        assertEquals(15.0 / 66, p.oneSided(), 1e-12);
        assertEquals(0.4545, p.twoSided(), 5e-5);
        assertEquals(0.2273, p.oneSided(), 5e-5);
        // The same arms the other way round: the same p-values.
        assertEquals(p.twoSided(), TwoArmTest.fisher(0, 6, 2, 6).twoSided(), 1e-15);
        assertEquals(p.oneSided(), TwoArmTest.fisher(0, 6, 2, 6).oneSided(), 1e-15);
        // Fisher's tea tasting: 3 of 4 against 1 of 4, two-sided 34/70 = 0.4857, one-sided 17/70 = 0.2429.
        assertEquals(34.0 / 70, TwoArmTest.fisher(3, 4, 1, 4).twoSided(), 1e-12);
        assertEquals(17.0 / 70, TwoArmTest.fisher(3, 4, 1, 4).oneSided(), 1e-12);
        assertEquals(1.0, TwoArmTest.fisher(3, 6, 3, 6).twoSided(), 1e-12);
    }

    @Test
    void mannWhitneyExactCountsAndPublishedValues() {
        // U's distribution for 2 and 2: arrangements xxyy..yyxx give U = 0,1,2,2,3,4.
        assertArrayEquals(new double[] {1, 1, 2, 1, 1}, TwoArmTest.uCounts(2, 2));
        // Completely separated arms of 5: U = 0, p = 2 / C(10, 5) = 2/252.
        TwoArmTest.P sep = TwoArmTest.mannWhitney(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
        assertEquals(0, sep.statistic());
        assertEquals(2.0 / 252, sep.twoSided(), 1e-12);
        assertEquals(1.0 / 252, sep.oneSided(), 1e-12);
        assertTrue(sep.exact());
        // SciPy's documented example: mannwhitneyu([19, 22, 16, 29, 24], [20, 11, 17, 12]) = (17, 0.1111).
        TwoArmTest.P scipy = TwoArmTest.mannWhitney(new double[] {19, 22, 16, 29, 24}, new double[] {20, 11, 17, 12});
        assertEquals(17, scipy.statistic());
        assertEquals(14.0 / 126, scipy.twoSided(), 1e-12);
    }

    @Test
    void mannWhitneyWithTiesUsesTheNormalApproximation() {
        // x = {1, 2, 2}, y = {2, 3, 4}: U = 0 + 0.5 + 0.5 = 1; three tied at 2: sd² = 9/12·(7 − 24/30) = 4.65,
        // z = (|1 − 4.5| − 0.5)/√4.65 = 1.39122, two-sided p = erfc(z/√2) = 0.164160 (Python's math.erfc).
        TwoArmTest.P p = TwoArmTest.mannWhitney(new double[] {1, 2, 2}, new double[] {2, 3, 4});
        assertEquals(1, p.statistic());
        assertFalse(p.exact());
        assertEquals(0.1641597, p.twoSided(), 3e-7);
        assertEquals(0.1641597 / 2, p.oneSided(), 2e-7);
    }
}
