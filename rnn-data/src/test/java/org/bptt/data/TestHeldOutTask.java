package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of sequences held out for evaluating a model: its class ids are read against the model's outputs. */
final class TestHeldOutTask {
    @TempDir
    Path dir;

    @Test
    void aFileIsHeldOutWholeUnderTheModelsClasses() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(4, 30, 5, 2, 3);
        assertEquals(2, Arrays.stream(d.labels()).max().orElseThrow(), "the file uses ids 0 to 2");
        Path f = dir.resolve("held.npz");
        Fixtures.writeNpz(f, d, d.x(), true);

        ArrayTask task = ArrayTask.heldOut(f, 5);
        assertTrue(task.hasHeldOut());
        assertEquals(30, task.heldOutSequences());
        assertEquals(5, task.outputSize(), "the model's 5 classes, not the 3 the file happens to use");

        DataFileException e = assertThrows(DataFileException.class, () -> ArrayTask.heldOut(f, 2));
        assertTrue(
                e.getMessage().contains("has the class id 2") && e.getMessage().contains("there are 2 classes"),
                e.getMessage());
    }
}
