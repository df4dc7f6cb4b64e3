package org.bptt.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bptt.cli.CliRunner;
import org.bptt.training.config.Json;

/**
 * The command line against a hostile user, in-process: generated option sets for every
 * command, mutated configuration files and damaged checkpoints. Whatever comes in: the exit
 * code is 0, 1 (a run that diverged) or 2; a refusal is one line on standard error, in the
 * command's name, with no stack trace, no "internal error" and no Java or Jackson internals;
 * a refused command changes no existing file and leaves no new folder; an accepted run has its
 * configuration and checkpoint.
 */
final class TestHostileInput {
    static Path tmp;
    static Path lm;
    static Path config;
    static final Map<String, AtomicInteger> codes = new LinkedHashMap<>();
    static final AtomicInteger fresh = new AtomicInteger();

    /** Values every flag is tried with besides its own: empty, blank, huge, another flag, odd characters. */
    static final List<String> ANY =
            List.of("", " ", "x".repeat(5000), "--quiet", "-1", "\u2603", "nul\u0000l", "1e400");
    /** Flags (and positional arguments, "") that take a path: their odd values are placed under the test's folder. */
    static final java.util.Set<String> PATH_FLAGS =
            java.util.Set.of("-o", "--resume", "--config", "--text", "--plugins", "");
    /** What the working directory (the module's folder) held before: a command must never write there. */
    static java.util.Set<String> workingDirectory;

    /**
     * An odd value for a path flag, as a path under the test's folder when it is one (a relative
     * path would otherwise land in the module's folder, and an accepted run would stay there).
     */
    static String placed(String flag, String value) {
        // "--quiet" stays a flag; "-1" is a (relative) path like any other and goes under the test's folder too.
        if (!PATH_FLAGS.contains(flag) || value.isBlank() || value.startsWith("--")) {
            return value;
        }
        try {
            return tmp.resolve(value).toString();
        } catch (java.nio.file.InvalidPathException e) {
            return value; // not a path at all (a NUL): the refusal of that is what is tried
        }
    }

    static java.util.Set<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @BeforeContainer
    static void fixtures() throws IOException {
        workingDirectory = listing(Path.of("").toAbsolutePath());
        tmp = Files.createTempDirectory("hostile");
        lm = tmp.resolve("lm");
        CliRunner t = CliRunner.run(
                "train",
                "--quiet",
                "--task",
                "text",
                "--steps",
                "10",
                "--hidden",
                "8",
                "--batch",
                "4",
                "--iterations",
                "10",
                "--checkpoint-every",
                "5",
                "-o",
                lm.toString());
        assertEquals(0, t.code, t.err);
        config = tmp.resolve("valid.json");
        CliRunner a = CliRunner.run(
                "train",
                "--quiet",
                "--steps",
                "6",
                "--hidden",
                "8",
                "--batch",
                "4",
                "--iterations",
                "2",
                "-o",
                tmp.resolve("adding").toString());
        assertEquals(0, a.code, a.err);
        Files.copy(tmp.resolve("adding").resolve("config.json"), config);
        Files.writeString(tmp.resolve("empty.txt"), "");
        Files.writeString(tmp.resolve("text.txt"), "It was the best of times, it was the worst of times. ".repeat(10));
        Files.write(tmp.resolve("binary.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3});
        Files.writeString(tmp.resolve("garbage.json"), "{\"hidden\": 8,,,}");
        Files.createDirectories(tmp.resolve("emptydir"));
        Files.createDirectories(tmp.resolve("userdir"));
        Files.writeString(tmp.resolve("userdir").resolve("notes.txt"), "mine");
    }

    @AfterContainer
    static void report() throws IOException {
        System.out.println("TestHostileInput: exit codes by property " + codes);
        java.util.Set<String> added =
                new java.util.TreeSet<>(listing(Path.of("").toAbsolutePath()));
        added.removeAll(workingDirectory);
        assertEquals(java.util.Set.of(), added, "no command wrote into the working directory");
        try (var s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static String f(String name) {
        return tmp.resolve(name).toString();
    }

    // ---- train ------------------------------------------------------------------------------

    private static Map<String, List<String>> trainFlags() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(
                "--task",
                List.of("adding", "copy", "sine", "text", "temporal-order", "multiplication", "nope", "ADDING"));
        m.put("--steps", List.of("0", "1", "2", "8", "1e3", "8.0", "2147483647", "100000000", "x"));
        m.put("--hidden", List.of("0", "1", "8", "16.7", "46341", "2147483647", "abc"));
        m.put("--batch", List.of("0", "1", "4", "2000000000", "x"));
        m.put("--iterations", List.of("0", "1", "2", "1.5", "x"));
        m.put("--lr", List.of("0.01", "1e30", "0", "NaN", "Infinity", "1,5", "0x10"));
        m.put("--momentum", List.of("0.9", "2", "-0.5"));
        m.put("--optimizer", List.of("sgd", "adam", "rmsprop", "adagrad", "nope"));
        m.put("--opt", List.of("lr=0.1", "beta1=2", "nokey", "=1", "lr=", "beta2=0.5", "x=y", "eps=0"));
        m.put("--policy", List.of("none", "clip-norm", "clip-value", "nope"));
        m.put("--threshold", List.of("1", "0", "x"));
        m.put("--policy-opt", List.of("threshold=2", "value=1", "q=1"));
        m.put("--truncation", List.of("full", "tbptt", "nope"));
        m.put("--k1", List.of("1", "4", "8", "9", "0", "x"));
        m.put("--k2", List.of("1", "4", "8", "20", "0"));
        m.put("--update", List.of("per-window", "per-sequence", "x"));
        m.put("--init", List.of("xavier", "orthogonal", "identity", "spectral", "uniform", "nope"));
        m.put("--radius", List.of("0.5", "1.5", "0", "1e30"));
        m.put("--gain", List.of("1", "0", "1e30"));
        m.put("--init-opt", List.of("radius=2", "gain=x", "zz=1"));
        m.put("--threads", List.of("0", "1", "2", "5", "1000000", "x"));
        m.put("--backend", List.of("auto", "scalar", "simd", "gpu"));
        m.put("--non-finite", List.of("stop", "skip", "maybe"));
        m.put("--loss", List.of("ce", "mse", "nope"));
        m.put("--loss-opt", List.of("a=b"));
        m.put("--loss-mean", List.of("sequence", "step", "x"));
        m.put("--checkpoint-every", List.of("0", "1", "1000000"));
        m.put("--diagnostics-every", List.of("0", "1", "10"));
        m.put("--metrics", List.of("csv", "jsonl", "xml"));
        m.put("--cell", List.of("vanilla", "lstm"));
        m.put("--cell-opt", List.of("activation=relu", "activation=sigmoid", "k=v"));
        m.put("--activation", List.of("tanh", "relu", "linear", "sigmoid"));
        m.put("--task-opt", List.of("steps=5", "delay=3", "x=1", "text=/nonexistent", "steps=1e3"));
        m.put(
                "--text",
                List.of(
                        f("text.txt"),
                        f("empty.txt"),
                        f("binary.bin"),
                        f("nonexistent.txt"),
                        f("emptydir"),
                        "/dev/zero"));
        m.put(
                "--config",
                List.of(config.toString(), f("garbage.json"), f("nonexistent.json"), f("emptydir"), f("binary.bin")));
        m.put("--resume", List.of(lm.toString(), f("nonexistent"), f("empty.txt"), f("emptydir"), f("userdir")));
        m.put("-o", List.of(f("empty.txt"), f("userdir"), lm.toString(), f("emptydir/../userdir")));
        m.put("--plugins", List.of(f("nonexistent.jar"), f("text.txt"), f("emptydir")));
        m.put("--seed", List.of("-1", "0", "9223372036854775807", "x"));
        return m;
    }

    @Provide
    Arbitrary<List<String>> trainArgs() {
        Map<String, List<String>> flags = trainFlags();
        List<String> names = new ArrayList<>(flags.keySet());
        Arbitrary<List<String>> one = Arbitraries.of(names)
                .flatMap(name -> Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(5, Arbitraries.of(flags.get(name))),
                                net.jqwik.api.Tuple.of(1, Arbitraries.of(ANY)))
                        .map(v -> List.of(name, placed(name, v))));
        return one.list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(l -> l.stream().flatMap(List::stream).toList());
    }

    @Property(tries = 150)
    void trainOptions(@ForAll("trainArgs") List<String> flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--quiet"));
        args.addAll(flags);
        Path out = tmp.resolve("t" + fresh.incrementAndGet());
        if (!flags.contains("--resume")) {
            // Small and short unless the flags say otherwise; a repeated flag is one of the mistakes tried.
            for (String[] d :
                    new String[][] {{"--iterations", "2"}, {"--hidden", "8"}, {"--batch", "4"}, {"--steps", "8"}}) {
                if (!flags.contains(d[0])) {
                    args.addAll(List.of(d));
                }
            }
            if (!flags.contains("-o")) {
                args.addAll(List.of("-o", out.toString()));
            }
        }
        Map<String, String> before = Folders.snapshot(lm);
        CliRunner r = run("train", args);
        if (r.code == 0 && !flags.contains("--resume")) {
            Path dir = flags.contains("-o") ? null : out;
            if (dir != null) {
                assertTrue(
                        Files.isRegularFile(dir.resolve("config.json"))
                                && Files.isRegularFile(dir.resolve("checkpoint.bin")),
                        "an accepted run has its files: " + args);
            }
        }
        if (r.code == 2) {
            assertFalse(Files.exists(out), "a refused run leaves no folder: " + args);
            assertEquals(before, Folders.snapshot(lm), "a refused command changed the existing run: " + args);
        }
        assertEquals(
                Map.of("notes.txt", Folders.snapshot(tmp.resolve("userdir")).get("notes.txt")),
                Map.of("notes.txt", sha("mine")),
                "the user's folder is untouched");
    }

    private static String sha(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the other commands -------------------------------------------------------------------

    @Provide
    Arbitrary<List<String>> otherArgs() {
        Map<String, Map<String, List<String>>> commands = new LinkedHashMap<>();
        List<String> targets = List.of(
                lm.toString(),
                lm.resolve("checkpoint.bin").toString(),
                f("nonexistent"),
                config.toString(),
                f("emptydir"),
                f("binary.bin"),
                "/dev/zero");
        commands.put(
                "analyze",
                Map.of(
                        "",
                        targets,
                        "--samples",
                        List.of("0", "1", "4", "65", "x"),
                        "--band",
                        List.of("0", "0.05", "1", "2", "NaN"),
                        "-o",
                        List.of(f("emptydir"), f("nonexistent/x.html"), f("a.html"), f("userdir"))));
        commands.put(
                "generate",
                Map.of(
                        "",
                        targets,
                        "--length",
                        List.of("0", "1", "20", "100000001", "x"),
                        "--temperature",
                        List.of("0", "0.8", "NaN", "Infinity", "1e-300", "x"),
                        "--prime",
                        List.of("", "Alice", "\u2603", "x".repeat(3000)),
                        "--seed",
                        List.of("1", "x")));
        commands.put(
                "verify",
                Map.of(
                        "",
                        List.of(
                                config.toString(),
                                f("nonexistent"),
                                f("empty.txt"),
                                f("garbage.json"),
                                f("emptydir"),
                                f("binary.bin"),
                                goldenCase()),
                        "--backend",
                        List.of("auto", "scalar", "x"),
                        "--threads",
                        List.of("0", "1", "2", "1000000")));
        commands.put(
                "bench",
                Map.of(
                        "--hidden",
                        List.of("0", "8", "46341", "2147483647", "x"),
                        "--steps",
                        List.of("0", "5", "2147483647"),
                        "--batch",
                        List.of("0", "2", "2000000000"),
                        "--iterations",
                        List.of("0", "1", "10000001"),
                        "--jit-warmup",
                        List.of("-1", "NaN", "3601", "0"),
                        "--threads",
                        List.of("0", "1", "1000000"),
                        "--backend",
                        List.of("auto", "x"),
                        "--input",
                        List.of("0", "4", "x")));
        commands.put("plugins", Map.of("--plugins", List.of(f("nonexistent.jar"), f("text.txt"), f("emptydir"), "")));
        commands.put("help", Map.of("", List.of("train", "nope")));
        commands.put("nope", Map.of("", List.of("x")));
        return Arbitraries.of(new ArrayList<>(commands.keySet())).flatMap(cmd -> {
            Map<String, List<String>> flags = commands.get(cmd);
            List<String> names = new ArrayList<>(flags.keySet());
            Arbitrary<List<String>> one = Arbitraries.of(names)
                    .flatMap(name -> Arbitraries.frequencyOf(
                                    net.jqwik.api.Tuple.of(5, Arbitraries.of(flags.get(name))),
                                    net.jqwik.api.Tuple.of(1, Arbitraries.of(ANY)))
                            .map(v -> name.isEmpty() ? List.of(placed(name, v)) : List.of(name, placed(name, v))));
            return one.list().ofMinSize(0).ofMaxSize(4).map(l -> {
                List<String> a = new ArrayList<>(List.of(cmd));
                l.forEach(a::addAll);
                return a;
            });
        });
    }

    private static String goldenCase() {
        Path golden = Path.of(System.getProperty("golden.dir", "../golden"));
        try (var s = Files.list(golden)) {
            return s.filter(p -> p.toString().endsWith(".json"))
                    .sorted()
                    .findFirst()
                    .map(Path::toString)
                    .orElse(f("nonexistent"));
        } catch (IOException e) {
            return f("nonexistent");
        }
    }

    @Property(tries = 120)
    void otherCommands(@ForAll("otherArgs") List<String> given) throws IOException {
        List<String> args = new ArrayList<>(given);
        if (args.get(0).equals("bench")) {
            for (String[] d : new String[][] {
                {"--jit-warmup", "0"},
                {"--iterations", "2"},
                {"--warmup", "0"},
                {"--hidden", "8"},
                {"--steps", "5"},
                {"--batch", "2"},
                {"--input", "4"},
                {"--output", "4"}
            }) {
                if (!args.contains(d[0])) {
                    args.addAll(List.of(d));
                }
            }
        }
        if (args.get(0).equals("generate") && !args.contains("--length")) {
            args.addAll(List.of("--length", "20"));
        }
        Map<String, String> before = Folders.snapshot(lm);
        before.remove("analysis.html");
        run(args.get(0), args);
        Map<String, String> now = Folders.snapshot(lm);
        now.remove("analysis.html");
        assertEquals(before, now, "a command that only reads changed the run: " + args);
    }

    // ---- configuration files ------------------------------------------------------------------

    /** A change to a valid config.json: a field set to a value of any type, removed or added, or the text damaged. */
    record ConfigEdit(int kind, int field, JsonNode value, double at, String text) {
        String apply(String valid) throws IOException {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(valid);
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            String name = names.get(Math.floorMod(field, names.size()));
            int pos = (int) (at * valid.length());
            return switch (kind) {
                case 0 -> {
                    root.set(name, value);
                    yield Json.MAPPER.writeValueAsString(root);
                }
                case 1 -> {
                    root.remove(name);
                    yield Json.MAPPER.writeValueAsString(root);
                }
                case 2 -> {
                    root.set(name + "2", value);
                    yield Json.MAPPER.writeValueAsString(root);
                }
                case 3 -> valid.substring(0, pos);
                case 4 -> valid.substring(0, pos) + text + valid.substring(pos);
                case 5 -> valid + text;
                case 6 -> valid.replaceFirst("\\{", "{ \"" + name + "\" : " + value + ",");
                case 7 -> "[".repeat(200) + "]".repeat(200);
                default -> text;
            };
        }
    }

    @Provide
    Arbitrary<ConfigEdit> configEdits() {
        JsonNodeFactory n = JsonNodeFactory.instance;
        Arbitrary<JsonNode> values = Arbitraries.of(
                n.nullNode(),
                n.numberNode(-1),
                n.numberNode(0),
                n.numberNode(2),
                n.numberNode(16.7),
                n.numberNode(Integer.MAX_VALUE),
                n.numberNode(Long.MAX_VALUE),
                n.numberNode(1e300),
                n.numberNode(new java.math.BigInteger("1234567890123456789012345")),
                n.textNode(""),
                n.textNode("8"),
                n.textNode("adam"),
                n.textNode("nope"),
                n.booleanNode(true),
                n.arrayNode(),
                n.objectNode(),
                n.objectNode().put("name", "adam").set("options", n.objectNode().put("lr", "-1")),
                n.objectNode()
                        .put("name", "tbptt")
                        .set("options", n.objectNode().put("k1", "99")),
                n.objectNode()
                        .put("name", "adding")
                        .set("options", n.objectNode().put("steps", "1")),
                n.numberNode(46341));
        Arbitrary<String> texts = Arbitraries.of(
                "",
                "null",
                "[]",
                "{}",
                "garbage",
                "}",
                "\"",
                ",",
                "\u0000",
                "\uFEFF{",
                "//",
                "{\"a\":1}",
                "\uD83D\uDE00",
                "\n\n");
        return Combinators.combine(
                        Arbitraries.integers().between(0, 8),
                        Arbitraries.integers(),
                        values,
                        Arbitraries.doubles().between(0, 1),
                        texts)
                .as(ConfigEdit::new);
    }

    @Property(tries = 150)
    void configFiles(@ForAll("configEdits") ConfigEdit edit) throws IOException {
        Path file = tmp.resolve("c" + fresh.incrementAndGet() + ".json");
        Files.writeString(file, edit.apply(Files.readString(config)));
        Path out = tmp.resolve("o" + fresh.get());
        CliRunner r = run(
                "config",
                List.of("train", "--quiet", "--config", file.toString(), "--iterations", "2", "-o", out.toString()));
        if (r.code == 2) {
            assertFalse(Files.exists(out));
            boolean semantic =
                    r.err.matches("(?s).*(needs about|Java array|k1|targets|threads|steps|at least|statefully).*");
            assertTrue(semantic || r.err.contains(file.toString()), "the message names the file: " + r.err);
        }
    }

    // ---- checkpoints through the commands -----------------------------------------------------

    @Provide
    Arbitrary<byte[]> damagedCheckpoints() {
        byte[] good;
        try {
            good = Files.readAllBytes(lm.resolve("checkpoint.bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arbitrary<byte[]> bytes = Combinators.combine(
                        Arbitraries.integers().between(0, good.length - 1),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3))
                .as((pos, val, crc, kind) -> {
                    byte[] b = switch (kind) {
                        case 0 -> {
                            byte[] c = good.clone();
                            c[pos] = (byte) val.intValue();
                            yield c;
                        }
                        case 1 -> java.util.Arrays.copyOf(good, pos);
                        case 2 -> {
                            byte[] c = good.clone();
                            ByteBuffer.wrap(c, Math.min(pos, c.length - 4), 4).putInt(-val * 1000003);
                            yield c;
                        }
                        default -> {
                            byte[] c = good.clone();
                            java.util.Arrays.fill(c, pos, Math.min(c.length, pos + val), (byte) 0);
                            yield c;
                        }
                    };
                    if (crc && b.length >= 16) {
                        CRC32 c = new CRC32();
                        c.update(b, 0, b.length - 8);
                        ByteBuffer.wrap(b, b.length - 8, 8).putLong(c.getValue());
                    }
                    return b;
                });
        return bytes;
    }

    @Property(tries = 80)
    void damagedCheckpoints(@ForAll("damagedCheckpoints") byte[] ckpt, @ForAll("commandsOnARun") String command)
            throws IOException {
        Path dir = tmp.resolve("d" + fresh.incrementAndGet());
        Files.createDirectories(dir);
        for (String name : List.of("config.json", "metrics.csv", "diagnostics.json")) {
            Files.copy(lm.resolve(name), dir.resolve(name));
        }
        Files.write(dir.resolve("checkpoint.bin"), ckpt);
        Map<String, String> before = Folders.snapshot(dir);
        List<String> args = switch (command) {
            case "analyze" ->
                List.of(
                        "analyze",
                        dir.toString(),
                        "-o",
                        tmp.resolve("a" + fresh.get() + ".html").toString());
            case "generate" -> List.of("generate", dir.toString(), "--length", "10");
            default -> List.of("train", "--quiet", "--resume", dir.toString(), "--iterations", "12");
        };
        CliRunner r = run("checkpoint", args);
        if (r.code == 2) {
            assertTrue(r.err.contains(dir.toString()), "the message names the run: " + r.err);
            before.remove(".rnn.lock");
            Map<String, String> after = Folders.snapshot(dir);
            after.remove(".rnn.lock");
            assertEquals(before, after, "a refused command changed the run: " + args + " -> " + r.err);
        }
    }

    @Provide
    Arbitrary<String> commandsOnARun() {
        return Arbitraries.of("analyze", "generate", "resume");
    }

    // ---- what every answer must be --------------------------------------------------------------

    private static CliRunner run(String property, List<String> args) {
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        codes.computeIfAbsent(property + " " + r.code, k -> new AtomicInteger()).incrementAndGet();
        String what = String.join(
                " ",
                args.stream()
                        .map(a -> a.length() > 40 ? a.substring(0, 40) + "…" : a)
                        .toList());
        assertTrue(r.code == 0 || r.code == 1 || r.code == 2, "exit " + r.code + " for " + what + ": " + r.err);
        assertFalse(r.err.contains("internal error"), what + " -> " + r.err);
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "a stack trace for " + what + ": " + r.err);
        if (r.code == 2) {
            String e = r.err.strip();
            assertEquals(1, e.lines().count(), "one line for " + what + ": " + r.err);
            assertTrue(e.startsWith("rnn " + args.get(0) + ": ") || e.startsWith("rnn: "), what + " -> " + e);
            assertTrue(
                    e.codePointCount(0, e.length()) <= 1000,
                    "a long value is shortened: " + e.length() + " for " + what);
            for (String internal : List.of(
                    "Exception",
                    "jackson",
                    "Jackson",
                    "java.lang",
                    "java.nio",
                    "FAIL_ON",
                    "creator",
                    "setter",
                    "Input length",
                    "(code ",
                    "token '")) {
                assertFalse(e.contains(internal), "no internals (" + internal + ") for " + what + ": " + e);
            }
        }
        if (r.code == 1 && args.get(0).equals("verify")) {
            assertTrue(
                    r.out.strip().matches("(?s).*\\d+ passed, \\d+ failed"),
                    "a failed check is counted: " + what + ": " + r.out);
        } else if (r.code == 1) {
            String e = r.err.strip();
            assertEquals(1, e.lines().count(), "a failure is one line too: " + what + ": " + r.err);
            assertTrue(
                    e.contains("diverged") || e.contains("intact"), "a failure says what was kept: " + what + ": " + e);
        }
        return r;
    }
}
