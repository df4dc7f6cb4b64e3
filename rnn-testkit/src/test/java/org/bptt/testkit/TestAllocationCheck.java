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
        Duration budget = Duration.ofSeconds(3);
        assertEquals("0", Allocation.inFreshJvm(new ProbeSpec("cell", GatedCellFactory.class.getName(), 3, 4, Map.of()),
                budget));
        assertEquals("0", Allocation.inFreshJvm(new ProbeSpec("policy", AdaptiveClip.Factory.class.getName(), 0, 0,
                Map.of("factor", "1.5")), budget));
        assertEquals("0", Allocation.inFreshJvm(new ProbeSpec("optimizer", SampleAdam.Factory.class.getName(), 0, 0,
                Map.of()), budget));
    }

    @Test
    void aPluginThatAllocatesFailsHereAndInTheFreshJvm() {
        ContractSettings settings = ContractSettings.defaults().withAllocationBudget(Duration.ofSeconds(1));
        ContractResult r = Contracts.check(new GatedCellFactory(), Map.of("flaw", "allocates"), settings,
                CellSuite.ALLOCATION);
        assertEquals(Status.FAILED, r.status(), r.detail());
        assertTrue(r.detail().matches("\\d+ bytes per step here and \\d+ in a fresh JVM.*"), r.detail());
    }
}
