package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.data.Batch;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character language model: vocabulary, windows, entropy baseline, and every file error. */
final class TestTextTask {
    @TempDir
    Path dir;

    private TextTask load(Path file, int steps) {
        return (TextTask) TaskTesting.task("text", Map.of("text", file.toString(), "steps", Integer.toString(steps)));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void vocabularyIsTheSortedDistinctCodePoints() throws IOException {
        // 'é' (U+00E9) and '😀' (U+1F600, a surrogate pair in UTF-16) must each be one symbol.
        TextTask task = load(write("v.txt", "bab é😀ab\n"), 3);
        assertEquals(List.of("\n", " ", "a", "b", "é", "😀"), task.vocabulary());
        assertEquals(6, task.inputSize());
        assertEquals(6, task.outputSize());
        assertEquals(9, task.length());
        assertArrayEquals(new int[] {3, 2, 3, 1, 4, 5, 2, 3, 0}, task.encoder().encode("bab é😀ab\n"));
        assertEquals("bab é😀ab\n", task.encoder().decode(task.encodedText()));
        assertEquals(5, task.encoder().indexOf(0x1F600));
        assertEquals(-1, task.encoder().indexOf('z'));
    }

    @Test
    void encodingRoundTripsThroughTheTasksVocabularyList() {
        TextTask task = (TextTask) TaskTesting.task("text");
        Vocabulary rebuilt = Vocabulary.ofSymbols(task.vocabulary());
        String sample = "Alice was beginning to get very tired—";
        int[] codes = rebuilt.encode(sample);
        assertArrayEquals(task.encoder().encode(sample), codes);
        assertEquals(sample, rebuilt.decode(codes));
        StringBuilder sb = new StringBuilder();
        for (int c : codes) {
            rebuilt.append(sb, c);
        }
        assertEquals(sample, sb.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rebuilt.encode("Alice§"));
        assertEquals(
                "character '§' at position 5 is not in the vocabulary of " + rebuilt.size() + " symbols",
                e.getMessage());
        // A vocabulary in any order maps back to its own indices.
        Vocabulary shuffled = Vocabulary.ofSymbols(List.of("z", "a", "m"));
        assertArrayEquals(new int[] {1, 2, 0}, shuffled.encode("amz"));
        assertEquals("zam", shuffled.decode(new int[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofSymbols(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofSymbols(List.of("ab")));
    }

    @Test
    void embeddedTextIsAliceAndItsBaselineIsTheUnigramEntropy() throws IOException {
        TextTask task = (TextTask) TaskTesting.task("text");
        assertEquals("alice.txt (embedded)", task.source());
        String text;
        try (var in = TextTask.class.getResourceAsStream(TextTask.EMBEDDED_NAME)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(text.startsWith("ALICE'S ADVENTURES IN WONDERLAND"));
        assertTrue(text.length() > 4000, "a few KB");
        assertEquals(text.codePointCount(0, text.length()), task.length());
        Map<Integer, Integer> counts = new HashMap<>();
        text.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        assertEquals(counts.size(), task.vocabulary().size());
        double n = task.length(), h = 0;
        for (int c : counts.values()) {
            h -= c / n * Math.log(c / n);
        }
        assertEquals(h, task.baselineLoss(), 1e-12);
        assertTrue(h > 2.5 && h < 3.5, "English letters carry about 3 nats... got " + h);
    }

    @Test
    void eachSequenceIsAWindowOfTheTextShiftedByOne() throws IOException {
        String text = "the quick brown fox jumps over the lazy dog";
        TextTask task = load(write("fox.txt", text), 8);
        int nb = 50;
        Batch batch = TaskTesting.filled(task, nb, 21);
        Vocabulary v = task.encoder();
        boolean sawStart = false;
        for (int b = 0; b < nb; b++) {
            StringBuilder window = new StringBuilder();
            for (int t = 0; t < 8; t++) {
                v.append(window, TaskTesting.hot(batch, t, b));
                if (t > 0) {
                    assertEquals(
                            TaskTesting.hot(batch, t, b),
                            batch.targets().classes()[(t - 1) * nb + b],
                            "target " + (t - 1));
                }
            }
            v.append(window, batch.targets().classes()[7 * nb + b]);
            assertEquals(9, window.length());
            assertTrue(text.contains(window), "window '" + window + "' is not in the text");
            sawStart |= text.startsWith(window.toString());
        }
        assertTrue(sawStart || nb < 100, "windows may start at offset 0");
    }

    @Test
    void everyStartOffsetIsReachableIncludingTheLast() throws IOException {
        // Exactly steps + 1 code points: one window only, covering the whole text.
        TextTask task = load(write("exact.txt", "abcab"), 4);
        Batch batch = TaskTesting.filled(task, 3, 1);
        for (int b = 0; b < 3; b++) {
            StringBuilder s = new StringBuilder();
            for (int t = 0; t < 4; t++) {
                task.encoder().append(s, TaskTesting.hot(batch, t, b));
            }
            task.encoder().append(s, batch.targets().classes()[3 * 3 + b]);
            assertEquals("abcab", s.toString());
        }
    }

    @Test
    void aByteOrderMarkIsNotACharacter() throws IOException {
        TextTask task = load(write("bom.txt", "\uFEFFabab"), 2);
        assertEquals(List.of("a", "b"), task.vocabulary());
        assertEquals(4, task.length());
    }

    private ConfigurationException failure(Path file, int steps) {
        return assertThrows(ConfigurationException.class, () -> load(file, steps));
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nowhere.txt");
        assertEquals(
                "text: text file '" + p + "' does not exist; option 'text' must name a UTF-8 text file",
                failure(p, 5).getMessage());
    }

    @Test
    void directoryInsteadOfFile() {
        assertEquals(
                "text: '" + dir + "' is a directory; option 'text' must name a UTF-8 text file",
                failure(dir, 5).getMessage());
    }

    @Test
    void unreadableFile() throws IOException {
        Path p = write("secret.txt", "some text that is long enough");
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            assumeFalse(true, "no POSIX permissions here");
        }
        assumeFalse(Files.isReadable(p), "running as a user who can read anything (root)");
        assertEquals(
                "text: text file '" + p + "' cannot be read (permission denied)",
                failure(p, 5).getMessage());
    }

    @Test
    void readErrorNamesTheFile() {
        // Works as root too: reading address 0 of one's own memory fails with EIO on Linux.
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.exists(mem), "no /proc/self/mem here");
        String message = failure(mem, 5).getMessage();
        assertTrue(message.startsWith("text: text file '/proc/self/mem' cannot be read ("), message);
    }

    @Test
    void invalidUtf8NamesTheFileAndTheOffset() throws IOException {
        // "ab" then 0xC3 0x28: a two-byte lead followed by a non-continuation byte.
        Path p = write("latin.txt", new byte[] {'a', 'b', (byte) 0xC3, 0x28, 'c', 'd', 'e', 'f'});
        assertEquals(
                "text: text file '" + p + "' is not valid UTF-8 (bad byte at offset 2); save it as UTF-8",
                failure(p, 3).getMessage());
        Path latin1 = write("latin1.txt", "café au lait".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(
                "text: text file '" + latin1 + "' is not valid UTF-8 (bad byte at offset 3); save it as UTF-8",
                failure(latin1, 3).getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path p = write("empty.txt", "");
        assertEquals(
                "text: text file '" + p + "' is empty; it needs at least steps + 1 = 6 characters",
                failure(p, 5).getMessage());
        Path bomOnly = write("bom-only.txt", "\uFEFF");
        assertTrue(failure(bomOnly, 5).getMessage().contains("'" + bomOnly + "' is empty"));
    }

    @Test
    void textShorterThanAWindow() throws IOException {
        Path p = write("short.txt", "abcdé");
        assertEquals(
                "text: text file '" + p + "' has 5 characters, fewer than steps + 1 = 6; "
                        + "use a longer text or a smaller 'steps'",
                failure(p, 5).getMessage());
        assertEquals(5, load(p, 4).length());
    }

    @Test
    void onlyOneDistinctCharacter() throws IOException {
        Path p = write("same.txt", "aaaaaaaaaa");
        assertEquals(
                "text: text file '" + p + "' contains only one distinct character ('a'), so there is nothing "
                        + "to predict; it needs at least two",
                failure(p, 5).getMessage());
        Path newlines = write("newlines.txt", "\n\n\n\n\n\n\n");
        assertTrue(failure(newlines, 5).getMessage().contains("(U+000A)"));
    }

    /**
     * Streams: stream b is the b-th of B equal parts of the text; chunk c holds its steps
     * [c·T, (c+1)·T) with the next character as target; consecutive chunks are contiguous; after
     * the last whole chunk of a pass the streams start again, and only a pass's first chunk says
     * it does not continue the previous one.
     */
    @Test
    void streamsCutTheTextIntoConsecutiveChunks() throws IOException {
        String text = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,"; // 64 code points
        TextTask task = load(write("s.txt", text), 4);
        assertTrue(task.canStream());
        int b = 3;
        assertEquals(64 / 3 - 1, task.streamSteps(b)); // parts of 21 code points: 20 steps each
        long perPass = task.streamSteps(b) / 4; // 5 chunks
        Batch batch = task.newBatch(b);
        int[] encoded = task.encodedText();
        for (long chunk = 0; chunk < 2 * perPass + 1; chunk++) {
            boolean continues = task.fillChunk(batch, chunk);
            int c = (int) (chunk % perPass);
            assertEquals(c != 0, continues, "chunk " + chunk);
            for (int s = 0; s < b; s++) {
                for (int t = 0; t < 4; t++) {
                    int row = t * b + s;
                    int at = s * 21 + c * 4 + t;
                    int hot = -1;
                    for (int j = 0; j < task.inputSize(); j++) {
                        if (batch.x()[row * task.inputSize() + j] == 1f) {
                            assertEquals(-1, hot, "one-hot");
                            hot = j;
                        }
                    }
                    assertEquals(encoded[at], hot, "input of stream " + s + " step " + t + " of chunk " + chunk);
                    assertEquals(encoded[at + 1], batch.targets().classes()[row], "target");
                }
            }
            assertArrayEquals(Batch.allSteps(4), batch.lossSteps());
        }
        assertThrows(
                ConfigurationException.class,
                () -> task.fillChunk(task.newBatch(13), 0),
                "13 streams of 5 characters do not fit 64");
    }

    /** With a held-out tail, the streams cut only the part trained on. */
    @Test
    void streamsNeverReachTheHeldOutPart() throws IOException {
        String text = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"; // 40 code points, the last 10 held out
        TextTask task = (TextTask) TaskTesting.task(
                "text",
                Map.of("text", write("streams-split.txt", text).toString(), "steps", "4", "validation", "0.25"));
        assertEquals(30 / 2 - 1, task.streamSteps(2));
        Batch batch = task.newBatch(2);
        long perPass = task.streamSteps(2) / 4;
        for (long chunk = 0; chunk < perPass; chunk++) {
            task.fillChunk(batch, chunk);
            for (int i = 0; i < batch.targets().classes().length; i++) {
                int target = batch.targets().classes()[i];
                StringBuilder w = new StringBuilder();
                task.encoder().append(w, target);
                assertTrue(text.indexOf(w.toString()) < 30, "chunk " + chunk + " targets '" + w + "', held out");
            }
        }
    }

    @Test
    void aHeldOutSplitKeepsTrainingAndEvaluationWindowsApart() throws IOException {
        // 40 distinct characters, so that a window's characters say where in the text it lies.
        String text = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn";
        TextTask task = (TextTask) TaskTesting.task(
                "text", Map.of("text", write("split.txt", text).toString(), "steps", "4", "validation", "0.25"));
        assertEquals(10, task.heldOutLength());
        assertTrue(task.hasHeldOut());
        assertTrue(task.describe().endsWith(", 10 characters held out)"), task.describe());
        java.util.Set<Integer> trainStarts = new java.util.TreeSet<>();
        java.util.Set<Integer> heldStarts = new java.util.TreeSet<>();
        Batch batch = task.newBatch(200);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int round = 0; round < 5; round++) {
            task.fill(batch, random);
            trainStarts.addAll(starts(task, batch, text));
            task.fillHeldOut(batch, random);
            heldStarts.addAll(starts(task, batch, text));
        }
        // Windows of 5 code points: training starts 0..25 (ending at index 29), held-out starts 30..35.
        assertEquals(java.util.stream.IntStream.rangeClosed(0, 25).boxed().toList(), List.copyOf(trainStarts));
        assertEquals(java.util.stream.IntStream.rangeClosed(30, 35).boxed().toList(), List.copyOf(heldStarts));
        // The baseline is the unigram entropy of the part trained on: 30 distinct characters once each.
        assertEquals(Math.log(30), task.baselineLoss(), 1e-12);
    }

    /** Where each window of the batch starts in {@code text}, checking that it is a window of the text. */
    private static List<Integer> starts(TextTask task, Batch batch, String text) {
        List<Integer> l = new java.util.ArrayList<>();
        int nb = batch.batch();
        for (int b = 0; b < nb; b++) {
            StringBuilder w = new StringBuilder();
            for (int t = 0; t < batch.steps(); t++) {
                task.encoder().append(w, TaskTesting.hot(batch, t, b));
            }
            task.encoder().append(w, batch.targets().classes()[(batch.steps() - 1) * nb + b]);
            int at = text.indexOf(w.toString());
            assertTrue(at >= 0, "window '" + w + "' is not in the text");
            l.add(at);
        }
        return l;
    }

    @Test
    void withoutASplitNothingIsHeldOut() {
        TextTask task = (TextTask) TaskTesting.task("text");
        assertEquals(0, task.heldOutLength());
        assertTrue(!task.hasHeldOut());
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> task.fillHeldOut(task.newBatch(2), new java.util.SplittableRandom(1)));
        assertEquals(
                "text: no part of 'alice.txt (embedded)' is held out for evaluation; set the task's option "
                        + "'validation' (for example 0.1) when training",
                e.getMessage());
    }

    @Test
    void aSplitTooSmallForAWindowIsRefusedWithTheSizes() throws IOException {
        Path file = write("short.txt", "abcdefghijabcdefghij");
        ConfigurationException held = assertThrows(
                ConfigurationException.class,
                () -> TaskTesting.task("text", Map.of("text", file.toString(), "steps", "4", "validation", "0.1")));
        assertEquals(
                "text: option 'validation' 0.1 holds out 2 of the 20 characters of '" + file + "', fewer than "
                        + "steps + 1 = 5; use a larger fraction, a longer text or a smaller 'steps'",
                held.getMessage());
        ConfigurationException train = assertThrows(
                ConfigurationException.class,
                () -> TaskTesting.task("text", Map.of("text", file.toString(), "steps", "4", "validation", "0.85")));
        assertEquals(
                "text: option 'validation' 0.85 leaves 3 characters of '" + file + "' to train on, fewer than "
                        + "steps + 1 = 5; use a smaller fraction, a longer text or a smaller 'steps'",
                train.getMessage());
        ConfigurationException range = assertThrows(
                ConfigurationException.class,
                () -> TaskTesting.task("text", Map.of("text", file.toString(), "validation", "0.9")));
        assertTrue(range.getMessage().startsWith("text: option 'validation' must be"), range.getMessage());
    }
}
