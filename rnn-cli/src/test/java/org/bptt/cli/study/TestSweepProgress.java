package org.bptt.cli.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.training.config.RunConfig;
import org.junit.jupiter.api.Test;

/** A sweep's progress lines in a log: the 100% line counts every run as done. */
final class TestSweepProgress {

    @Test
    void theLineAtOneHundredPercentComesWithTheLastRunsEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SweepProgress p = new SweepProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        int runs = 3;
        long each = 10;
        p.started(runs, 0, runs * each);
        for (int r = 0; r < runs; r++) {
            PlanEntry e = new PlanEntry(
                    r,
                    "run-" + r,
                    Map.of(),
                    RunConfig.defaults().toBuilder().iterations(each).build());
            p.started(e, 0, each);
            for (long i = 0; i < each; i++) {
                p.progressed(e, i, each);
            }
            p.finished(
                    e,
                    new SummaryRow(
                            r,
                            e.id(),
                            Map.of(),
                            1,
                            SummaryRow.FINISHED,
                            each,
                            0.5,
                            Map.of(),
                            1.0,
                            "",
                            List.of(),
                            List.of()));
        }
        p.done();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> full =
                lines.stream().filter(l -> l.startsWith("sweep 100%")).toList();
        assertEquals(1, full.size(), lines.toString());
        assertTrue(full.get(0).startsWith("sweep 100%: 3/3 runs done, 0 running"), full.get(0));
        assertEquals(lines.get(lines.size() - 1), full.get(0), "the 100% line is the last");
        // The lines before it count the runs finished at that point: at 90%, the third is still training.
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("sweep  90%: 2/3 runs done, 1 running")), lines.toString());
    }
}
