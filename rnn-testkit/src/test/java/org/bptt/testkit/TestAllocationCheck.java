package org.bptt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.bptt.testkit.ContractResult.Status;
import org.bptt.testkit.internal.Allocation;
import org.bptt.testkit.internal.Allocation.ProbeSpec;
import org.bptt.testkit.internal.CellSuite;
import org.bptt.testkit.samples.AdaptiveClip;
import org.bptt.testkit.samples.GatedCellFactory;
import org.bptt.testkit.samples.SampleAdam;
import org.junit.jupiter.api.Test;

/**
 * The second half of the allocation check: a step that allocates in this JVM is measured again
 * in a fresh one, which must rebuild the same workload from the factory's class and options, see
 * a clean plugin allocate nothing, and see an allocating one allocate.
 */
final class TestAllocationCheck {

    @Test
    void aFreshJvmRebuildsEachFamilysWorkloadAndFindsNoAllocationInACleanPlugin() {
        assertNoAllocation(new ProbeSpec("cell", GatedCellFactory.class, 3, 4, Map.of()));
        assertNoAllocation(new ProbeSpec("policy", AdaptiveClip.Factory.class, 0, 0, Map.of("factor", "1.5")));
        assertNoAllocation(new ProbeSpec("optimizer", SampleAdam.Factory.class, 0, 0, Map.of()));
    }

    /**
     * One more JVM if the first allocates, for the reason the check itself retries: about one JVM
     * in twenty compiles a SIMD kernel (the policy's norm and scaling) without its intrinsic.
     */
    private static void assertNoAllocation(ProbeSpec probe) {
        Duration budget = Duration.ofSeconds(3);
        String first = Allocation.inFreshJvm(probe, budget);
        if (!first.equals("0")) {
            assertEquals(
                    "0",
                    Allocation.inFreshJvm(probe, budget),
                    probe.family() + ": the first fresh JVM measured " + first);
        }
    }

    @Test
    void aPluginThatAllocatesFailsHereAndInTheFreshJvm() {
        ContractSettings settings = ContractSettings.defaults().withAllocationBudget(Duration.ofSeconds(1));
        ContractResult r =
                Contracts.check(new GatedCellFactory(), Map.of("flaw", "allocates"), settings, CellSuite.ALLOCATION);
        assertEquals(Status.FAILED, r.status(), r.detail());
        assertTrue(r.detail().matches("\\d+ bytes per step here and \\d+ in a fresh JVM.*"), r.detail());
    }
}
