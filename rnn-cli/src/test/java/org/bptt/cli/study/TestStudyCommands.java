package org.bptt.cli.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.bptt.study.SweepPlan;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn sweep}, {@code evaluate}, {@code compare}, {@code experiment}, and train's held-out evaluation, end to end. */
final class TestStudyCommands {
    @TempDir
    Path dir;

    private static List<String> column(Path csv, String name) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int i = List.of(lines.get(0).split(",")).indexOf(name);
        return lines.subList(1, lines.size()).stream()
                .map(l -> l.split(",", -1)[i])
                .toList();
    }

    /** The mean loss of the last 10% (at least 1, at most 50) of the iterations that were not skipped, read from metrics.csv. */
    private static double lastTrainingLosses(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics);
        List<String> columns = List.of(lines.get(0).split(","));
        List<Double> losses = lines.subList(1, lines.size()).stream()
                .map(l -> l.split(",", -1))
                .filter(c -> c[columns.indexOf("skipped")].equals("false"))
                .map(c -> Double.parseDouble(c[columns.indexOf("loss")]))
                .filter(Double::isFinite)
                .toList();
        int window = Math.max(1, Math.min(50, losses.size() / 10));
        return losses.subList(losses.size() - window, losses.size()).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
    }

    private static final List<String> SMALL = List.of(
            "--steps",
            "10",
            "--hidden",
            "8",
            "--batch",
            "8",
            "--iterations",
            "30",
            "--checkpoint-every",
            "10",
            "--diagnostics-every",
            "10");

    private static String[] args(List<String> head, List<String> tail) {
        List<String> a = new ArrayList<>(head);
        a.addAll(tail);
        return a.toArray(String[]::new);
    }

    @Test
    void aSweepTrainsEveryCombinationAndSummarizesThem() throws IOException {
        Path sw = dir.resolve("sw");
        List<String> head = List.of(
                "sweep",
                "-q",
                "-o",
                sw.toString(),
                "--vary",
                "radius=0.5,1.2",
                "--vary",
                "policy=none,clip-norm",
                "--seeds",
                "1,2",
                "--eval-sequences",
                "100",
                "--parallel",
                "2",
                "--",
                "--init",
                "spectral");
        CliRunner r = CliRunner.run(args(head, SMALL));
        assertEquals(0, r.code, r.err);
        List<String> csv = Files.readAllLines(sw.resolve("summary.csv"));
        assertEquals(9, csv.size());
        assertTrue(
                csv.get(0)
                        .startsWith(
                                "index,id,radius,policy,seed,status,iterations,train_loss,clip_rate,max_grad_norm,heldout_loss,"),
                csv.get(0));
        assertTrue(
                csv.get(8).startsWith("7,007-radius=1.2-policy=clip-norm-seed=2,1.2,clip-norm,2,finished,30,"),
                csv.get(8));
        assertTrue(r.out.contains("radius  policy     runs  success"), r.out);
        // train_loss is the training loss recomputed from each run's metrics.csv, not its held-out loss.
        List<String> header = List.of(csv.get(0).split(","));
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            double expected =
                    lastTrainingLosses(sw.resolve("runs").resolve(cells[1]).resolve("metrics.csv"));
            assertEquals(
                    expected, Double.parseDouble(cells[header.indexOf("train_loss")]), 1e-9 * Math.abs(expected), line);
            assertNotEquals(cells[header.indexOf("heldout_loss")], cells[header.indexOf("train_loss")], line);
            Path metrics = sw.resolve("runs").resolve(cells[1]).resolve("metrics.csv");
            assertEquals(
                    column(metrics, "clipped").stream().filter("true"::equals).count()
                            / (double) column(metrics, "clipped").size(),
                    Double.parseDouble(cells[header.indexOf("clip_rate")]),
                    1e-12,
                    line);
            assertEquals(
                    column(metrics, "grad_norm_before").stream()
                            .mapToDouble(Double::parseDouble)
                            .max()
                            .orElseThrow(),
                    Double.parseDouble(cells[header.indexOf("max_grad_norm")]),
                    0,
                    line);
        }
        // Each run is what 'rnn train' would have made of the shared and varied options.
        SweepPlan plan = SweepPlan.read(sw);
        RunConfig c = Json.read(SweepPlan.runFolder(sw, plan.entries().get(7)).resolve(TrainingRun.CONFIG));
        assertEquals("spectral", c.initializer().name());
        assertEquals("1.2", c.initializer().options().get("radius"));
        assertEquals("clip-norm", c.policy().name());
        assertEquals(2, c.seed());
        assertEquals(100, plan.evaluation().sequences());
        // Again: everything is done, nothing is trained; --resume and collect agree.
        long before = Files.getLastModifiedTime(
                        sw.resolve("runs").resolve(plan.entries().get(0).id()).resolve("checkpoint.bin"))
                .toMillis();
        assertEquals(0, CliRunner.run(args(head, SMALL)).code);
        assertEquals(0, CliRunner.run("sweep", "-q", "--resume", sw.toString()).code);
        assertEquals(
                before,
                Files.getLastModifiedTime(sw.resolve("runs")
                                .resolve(plan.entries().get(0).id())
                                .resolve("checkpoint.bin"))
                        .toMillis());
        CliRunner collected = CliRunner.run("sweep", "collect", sw.toString());
        assertEquals(0, collected.code, collected.err);
        assertEquals(csv, Files.readAllLines(sw.resolve("summary.csv")));
        // Compare the sweep's runs on one page.
        CliRunner cmp = CliRunner.run("compare", sw.toString());
        assertEquals(0, cmp.code, cmp.err);
        String page = Files.readString(sw.resolve("compare.html"));
        assertTrue(page.contains("They differ in policy, initializer.radius, seed"), page.substring(0, 2000));
        assertEquals(4, page.split(" \\(2 runs\\)</th>").length - 1, "one column per setting, its two seeds in it");
        assertTrue(
                page.contains("<a href=\"runs/" + csv.get(1).split(",")[1] + "/report.html\">"),
                "each run's report is a link, relative to the page");
        // Two arms (policy none against clip-norm at radius 0.5, two seeds each): the U test's p from U's exact law.
        List<String> none = new ArrayList<>();
        List<String> clip = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            if (cells[header.indexOf("radius")].equals("0.5")) {
                (cells[header.indexOf("policy")].equals("none") ? none : clip).add(cells[1]);
            }
        }
        List<String> paths = new ArrayList<>(
                List.of("compare", "-o", dir.resolve("arms.html").toString()));
        none.forEach(id -> paths.add(sw.resolve("runs").resolve(id).toString()));
        clip.forEach(id -> paths.add(sw.resolve("runs").resolve(id).toString()));
        CliRunner arms = CliRunner.run(paths.toArray(String[]::new));
        assertEquals(0, arms.code, arms.err);
        String armsPage = Files.readString(dir.resolve("arms.html"));
        double[] lossNone = heldOutLosses(csv, header, none);
        double[] lossClip = heldOutLosses(csv, header, clip);
        int u = 0;
        for (double x : lossNone) {
            for (double y : lossClip) {
                u += x > y ? 1 : 0;
            }
        }
        // U for 2 against 2 takes 0..4 in 1, 1, 2, 1, 1 of the 6 orders.
        double[] cumulative = {1, 2, 4, 5, 6};
        double p = Math.min(1, 2 * Math.min(cumulative[u], 6 - (u == 0 ? 0 : cumulative[u - 1])) / 6);
        assertTrue(armsPage.contains("<h2>Two arms</h2>"), armsPage);
        assertTrue(armsPage.contains("(Mann–Whitney U, exact)</td><td>median "), armsPage);
        assertTrue(armsPage.contains("</td><td>" + org.bptt.study.Html.num(p) + "</td>"), "p = " + p);
    }

    private static double[] heldOutLosses(List<String> csv, List<String> header, List<String> ids) {
        return csv.subList(1, csv.size()).stream()
                .map(l -> l.split(",", -1))
                .filter(c -> ids.contains(c[1]))
                .mapToDouble(c -> Double.parseDouble(c[header.indexOf("heldout_loss")]))
                .toArray();
    }

    @Test
    void plansFromListsRangesAndPluginOptions() {
        CliRunner grid = CliRunner.run(
                "sweep",
                "--dry-run",
                "-o",
                dir.resolve("a").toString(),
                "--combo",
                "activation=relu init=identity",
                "--combo",
                "activation=tanh init=orthogonal",
                "--vary",
                "steps=100,150",
                "--",
                "--iterations",
                "10");
        assertEquals(0, grid.code, grid.err);
        assertTrue(
                grid.out.startsWith("4 runs:\n  000-activation=relu-init=identity-steps=100-seed=1  (10 iterations)\n"),
                grid.out);
        CliRunner drawn = CliRunner.run(
                "sweep",
                "--dry-run",
                "-o",
                dir.resolve("b").toString(),
                "--random",
                "5",
                "--vary",
                "lr=log:1e-4..1e-2",
                "--vary",
                "hidden=16..64",
                "--vary",
                "opt.beta2=0.99,0.999",
                "--seeds",
                "1..2");
        assertEquals(0, drawn.code, drawn.err);
        List<String> lines = drawn.out.lines().skip(1).toList();
        assertEquals(10, lines.size());
        for (String l : lines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "lr=([0-9.e-]+)-hidden=(\\d+)-opt.beta2=(0.99|0.999)-seed=[12]")
                    .matcher(l);
            assertTrue(m.find(), l);
            double lr = Double.parseDouble(m.group(1));
            int h = Integer.parseInt(m.group(2));
            assertTrue(lr >= 1e-4 && lr <= 1e-2 && h >= 16 && h <= 64, l);
        }
    }

    @Test
    void mistakesAreOneSentence() {
        String[][] cases = {
            {
                "cannot vary 'size': there is no run setting --size to vary; vary a setting by its name, e.g. radius, "
                        + "or a plugin option as OPTIONS.KEY, e.g. opt.beta2",
                "--vary",
                "size=1,2"
            },
            {
                "--radius is both varied and set for every run; give it in one place",
                "--vary",
                "radius=1,2",
                "--",
                "--radius",
                "3"
            },
            {
                "the train option --seed has no place after -- in a sweep; give the seeds with --seeds",
                "--",
                "--seed",
                "3"
            },
            {"radius: a range can only be drawn from at random; list the values for a grid", "--vary", "radius=0.5..1.5"
            },
            {"--seeds takes whole numbers such as 1,2,3 or a range such as 1..5, got 'x'", "--seeds", "x"},
            {"train options --hidden 0 --seed 1: ", "--", "--hidden", "0"},
            {
                "run 000-steps=1-seed=1: adding: option 'steps' must be a whole number at least 2, got '1'",
                "--vary",
                "steps=1,5"
            },
        };
        for (String[] c : cases) {
            List<String> a = new ArrayList<>(
                    List.of("sweep", "--dry-run", "-o", dir.resolve("x").toString()));
            a.addAll(List.of(c).subList(1, c.length));
            CliRunner r = CliRunner.run(a.toArray(String[]::new));
            assertEquals(2, r.code, r.out + r.err);
            assertTrue(r.err.startsWith("rnn sweep: ") && r.err.lines().count() == 1, r.err);
            if (!c[0].endsWith(": ")) {
                assertEquals("rnn sweep: " + c[0], r.err.strip());
            }
        }
        CliRunner shard = CliRunner.run("sweep", "-o", dir.resolve("y").toString(), "--shard", "3/2");
        assertEquals(2, shard.code);
        assertEquals("rnn sweep: --shard takes i/n with 1 <= i <= n, e.g. 2/4, got '3/2'", shard.err.strip());
    }

    @Test
    void trainEvaluatesOnHeldOutDataAndEvaluateRepeatsIt() throws IOException {
        Path run = dir.resolve("run");
        CliRunner t = CliRunner.run(args(List.of("train", "-q", "--eval-every", "15", "-o", run.toString()), SMALL));
        assertEquals(0, t.code, t.err);
        assertTrue(
                t.out.contains("(held-out loss at iteration 30)") && t.out.contains("; held-out (1000 sequences) MSE "),
                t.out);
        JsonNode d = Json.MAPPER.readTree(Files.readString(run.resolve("diagnostics.json")));
        assertEquals(
                List.of(15L, 30L),
                d.get("evaluations").findValues("iteration").stream()
                        .map(JsonNode::asLong)
                        .toList());
        assertTrue(Files.exists(run.resolve("evaluation.json")));
        CliRunner e = CliRunner.run("evaluate", run.toString(), "--sequences", "1000", "--json");
        assertEquals(0, e.code, e.err);
        JsonNode j = Json.MAPPER.readTree(e.out);
        // The same 1000 held-out sequences as training's final evaluation: the same numbers.
        assertEquals(
                d.get("evaluations").get(1).get("metrics").get("loss").asDouble(),
                j.get("metrics").get("loss").asDouble());
        assertTrue(j.get("criterion").get("rule").asText().contains("|output - target| < 0.08"));
        CliRunner text = CliRunner.run("evaluate", run.toString(), "--sequences", "200");
        assertTrue(text.out.contains("criterion: a sequence is correct when"), text.out);
        assertEquals(
                2,
                CliRunner.run(args(
                                List.of(
                                        "train",
                                        "-q",
                                        "--eval-every",
                                        "-5",
                                        "-o",
                                        dir.resolve("bad").toString()),
                                SMALL))
                        .code);
    }

    @Test
    void aTextHoldsPartOutAndReportsBitsPerCharacter() throws IOException {
        Path run = dir.resolve("text");
        CliRunner t = CliRunner.run(
                "train",
                "-q",
                "--task",
                "text",
                "--validation",
                "0.2",
                "--steps",
                "20",
                "--hidden",
                "16",
                "--iterations",
                "40",
                "--eval-every",
                "20",
                "-o",
                run.toString());
        assertEquals(0, t.code, t.err);
        assertTrue(
                t.out.matches(
                        "(?s).*loss [0-9.]+ -> [0-9.]+ \\(held-out loss at iteration 40; [0-9.]+ nats = [0-9.]+ bits per character, perplexity [0-9.]+\\).*"),
                t.out);
        assertTrue(t.out.contains("bits per character, perplexity"), t.out);
        Path plain = dir.resolve("plain");
        assertEquals(
                0,
                CliRunner.run(
                                "train",
                                "-q",
                                "--task",
                                "text",
                                "--steps",
                                "20",
                                "--hidden",
                                "16",
                                "--iterations",
                                "5",
                                "-o",
                                plain.toString())
                        .code);
        CliRunner e = CliRunner.run("evaluate", plain.toString());
        assertEquals(2, e.code);
        assertTrue(e.err.contains("holds no data out of training; train a text with --validation 0.1"), e.err);
        CliRunner noHeld = CliRunner.run(
                "train",
                "-q",
                "--task",
                "text",
                "--eval-every",
                "10",
                "-o",
                dir.resolve("n").toString());
        assertEquals(2, noHeld.code);
        assertFalse(Files.exists(dir.resolve("n")), "nothing written for a refused run");
    }

    @Test
    void evaluateTextMeasuresASeparateFileAsTheHeldOutPartIsMeasured() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        while (sb.length() < 1000) {
            sb.append("ab c\n".charAt(r.nextInt(5)));
        }
        String all = sb.substring(0, 1000);
        Path train = dir.resolve("abc.txt");
        Files.writeString(train, all);
        Path run = dir.resolve("abc");
        assertEquals(
                0,
                CliRunner.run(
                                "train",
                                "-q",
                                "--task",
                                "text",
                                "--text",
                                train.toString(),
                                "--validation",
                                "0.2",
                                "--steps",
                                "10",
                                "--hidden",
                                "8",
                                "--iterations",
                                "20",
                                "-o",
                                run.toString())
                        .code);
        // The held-out part (the last 200 characters) as a file of its own: the same windows and the same stream.
        Path held = dir.resolve("held.txt");
        Files.writeString(held, all.substring(800));
        JsonNode own =
                Json.MAPPER.readTree(CliRunner.run("evaluate", run.toString(), "--sequences", "300", "--json").out);
        CliRunner f =
                CliRunner.run("evaluate", run.toString(), "--text", held.toString(), "--sequences", "300", "--json");
        assertEquals(0, f.code, f.err);
        JsonNode file = Json.MAPPER.readTree(f.out);
        for (String k : List.of("bits_per_char", "stream_bits_per_char")) {
            assertEquals(
                    own.get("metrics").get(k).asDouble(),
                    file.get("metrics").get(k).asDouble(),
                    1e-12,
                    k);
        }
        assertEquals(1, file.get("metrics").get("stream_segments").asInt());
        Path unknown = dir.resolve("unknown.txt");
        Files.writeString(unknown, "ab cab\nxa");
        CliRunner u = CliRunner.run("evaluate", run.toString(), "--text", unknown.toString());
        assertEquals(2, u.code);
        assertTrue(
                u.err.contains("the character 'x' (U+0078) at position 7, which is not in the model's vocabulary of 5"),
                u.err);
    }

    @Test
    void aRunOfNoIterationMeasuresTheInitialModelAndWritesItsReport() throws IOException {
        Path run = dir.resolve("zero");
        CliRunner t = CliRunner.run("train", "-q", "--iterations", "0", "--steps", "20", "-o", run.toString());
        assertEquals(0, t.code, t.err);
        JsonNode d = Json.MAPPER.readTree(Files.readString(run.resolve("diagnostics.json")));
        assertEquals(1, d.get("gradient_flow").size());
        assertEquals(20, d.get("gradient_flow").get(0).get("norms").size());
        assertEquals(0, d.get("evaluations").get(0).get("iteration").asLong());
        assertTrue(Files.size(run.resolve("report.html")) > 10_000);
        assertTrue(t.out.contains("trained 0 iterations"), t.out);
    }

    @Test
    void theSpectrumExperimentPrintsOneJsonObjectWithItsRows() throws IOException {
        CliRunner r = CliRunner.run(
                "experiment",
                "spectrum",
                "--json",
                "-q",
                "-o",
                dir.resolve("exp").toString());
        assertEquals(0, r.code, r.err);
        JsonNode j = Json.MAPPER.readTree(r.out);
        assertEquals("spectrum", j.get("experiment").asText());
        assertTrue(j.get("reproduced").asBoolean(), j.get("verdict").asText());
        JsonNode rows = j.get("rows");
        assertEquals(26, rows.size());
        for (JsonNode row : rows) {
            for (String f : List.of("activation", "init", "scale", "slope")) {
                assertTrue(row.has(f), f + " in " + row);
            }
            if (row.get("activation").asText().equals("linear")) {
                assertEquals(
                        Math.log(row.get("scale").asDouble()), row.get("slope").asDouble(), 0.01, row.toString());
            }
        }
        assertTrue(Files.exists(dir.resolve("exp").resolve("experiment.html")));
        assertEquals(2, CliRunner.run("experiment", "nonsense").code);
    }
}
