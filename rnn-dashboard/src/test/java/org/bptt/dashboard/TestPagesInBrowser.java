package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bptt.report.AnalysisData;
import org.bptt.report.Charts;
import org.bptt.report.HtmlReport;
import org.bptt.report.RunReport;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The static pages (a truncated run's report, a per-step-loss run's report, an analysis) in
 * headless Chromium: every chart has a title and labelled axes as the browser draws them, and no
 * axis carries series of two kinds of quantity (a count beside a loss, a share beside a norm). The
 * check reads what the browser shows — text by the font size the charts give titles (17px), axis
 * labels (13px) and legends (12px) — and proves itself on a chart built wrong. Screenshots go to
 * {@code target/screenshots}. Skipped, saying so, where Chromium is not installed.
 */
final class TestPagesInBrowser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;

    /** What one chart shows in the browser. */
    record Drawn(String title, List<String> axes, List<String> legend) {}

    /**
     * The kind of quantity a series or axis label names, or null when it names none this check knows.
     * Order matters: "clipped updates (share)" is a share before it is a norm.
     */
    static String kind(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        if (l.contains("share") || l.contains("clipped updates")) {
            return "share";
        }
        if (l.contains("sequences") && !l.startsWith("sequence ")) {
            return "count";
        }
        if (l.contains("accuracy") || l.contains("correct") || l.contains("fraction")) {
            return "fraction";
        }
        if (l.contains("∇l")) {
            return "gradient norm";
        }
        if (l.contains("loss") || l.contains("mse") || l.contains("baseline")) {
            return "loss";
        }
        return null;
    }

    /** The kinds of quantity a chart's legend shows, beyond what its value axes can carry one each. */
    static List<String> mixedKinds(Drawn c) {
        Set<String> series = new LinkedHashSet<>();
        c.legend().stream().map(TestPagesInBrowser::kind).filter(k -> k != null).forEach(series::add);
        long valueAxes = c.axes().size() - 1; // one label is the x axis
        return series.size() > Math.max(1, valueAxes) ? new ArrayList<>(series) : List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Drawn> charts(WebDriver d) {
        List<Map<String, Object>> raw = (List<Map<String, Object>>) ((JavascriptExecutor) d)
                .executeScript("return [...document.querySelectorAll('figure svg')].map(svg => {"
                        + "  const by = px => [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).fontSize === px)"
                        + "      .map(t => t.textContent.trim()).filter(s => s.length > 0);"
                        + "  return {title: by('17px').join(' '), axes: by('13px'), legend: by('12px')};"
                        + "});");
        return raw.stream()
                .map(m -> new Drawn(
                        (String) m.get("title"), (List<String>) m.get("axes"), (List<String>) m.get("legend")))
                .toList();
    }

    private static WebDriver chromium(Path profile) {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "SKIPPED: the pages' browser tests need Debian's chromium and chromium-driver; ./run-tests installs them");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1100,1000",
                "--hide-scrollbars",
                "--allow-file-access-from-files");
        return new ChromeDriver(service, o);
    }

    /** Opens a page, saves its full-length screenshot, and returns its charts as drawn. */
    private static List<Drawn> open(WebDriver d, Path page, String name) throws IOException {
        d.get(page.toUri().toString());
        long height = (Long) ((JavascriptExecutor) d).executeScript("return document.documentElement.scrollHeight;");
        d.manage().window().setSize(new org.openqa.selenium.Dimension(1100, (int) Math.min(12000, height + 100)));
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
        return charts(d);
    }

    private static void assertReadable(String page, List<Drawn> charts, int expected) {
        assertEquals(expected, charts.size(), page + ": charts");
        for (Drawn c : charts) {
            assertFalse(c.title().isBlank(), page + ": a chart without a title");
            assertTrue(c.axes().size() >= 2, page + ": " + c.title() + " has axis labels " + c.axes());
            assertEquals(
                    List.of(),
                    mixedKinds(c),
                    page + ": " + c.title() + " puts these on too few axes " + c.axes() + ", legend " + c.legend());
        }
    }

    @Test
    void reportAndAnalysisPagesLabelEveryAxisAndNeverMixQuantities() throws Exception {
        Plugins plugins = Plugins.discover();
        Path tbptt = tmp.resolve("tbptt");
        RunConfig t = Network.builder()
                .task("adding", "steps", "60")
                .hidden(12)
                .batch(8)
                .truncation("tbptt", "k1", "5", "k2", "15")
                .diagnosticsEvery(10)
                .checkpointEvery(0)
                .config()
                .withIterations(60);
        TrainingRun run = TrainingRun.create(t, tbptt, plugins, "csv");
        run.evaluateWith(
                new org.bptt.training.eval.HeldOutEvaluator(
                        org.bptt.training.eval.EvaluationSettings.defaults().withSequences(200)),
                20);
        run.run(new RunReport());
        Path copy = tmp.resolve("copy");
        TrainingRun.create(
                        Network.builder()
                                .task("copy", "symbols", "3", "delay", "5", "alphabet", "4")
                                .hidden(12)
                                .batch(8)
                                .diagnosticsEvery(10)
                                .checkpointEvery(0)
                                .config()
                                .withIterations(40),
                        copy,
                        plugins,
                        "csv")
                .run(new RunReport());
        TrainingRun again = TrainingRun.resume(tbptt, plugins, "csv", 0);
        NetworkFlow f = NetworkFlow.measure(again.network(), again.task());
        Spectral s = again.network().spectral();
        Path analysis = tmp.resolve("analysis.html");
        HtmlReport.writeAnalysis(
                analysis,
                new AnalysisData(
                        "Analysis of " + tbptt,
                        Map.of("task", again.task().describe()),
                        new Spectrum(s.real(), s.imag()),
                        f.norms(),
                        f.verdict(List.of()),
                        ""));
        // A chart built wrong, as the held-out panel once was: a count of sequences on the loss's axis.
        XYSeriesCollection ds = new XYSeriesCollection();
        XYSeries mse = new XYSeries("held-out mse");
        XYSeries n = new XYSeries("sequences");
        for (int i = 0; i < 5; i++) {
            mse.add(i * 100, 0.1 / (i + 1));
            n.add(i * 100, 1000);
        }
        ds.addSeries(mse);
        ds.addSeries(n);
        JFreeChart wrong = new JFreeChart(
                "Held-out metrics, built wrong",
                new XYPlot(ds, new NumberAxis("iteration"), new NumberAxis("value"), new XYLineAndShapeRenderer()));
        Path broken = tmp.resolve("broken.html");
        Files.writeString(
                broken,
                "<!DOCTYPE html><html><body><figure>" + Charts.toSvg(wrong, 900, 400) + "</figure></body></html>");

        WebDriver d = chromium(Files.createDirectory(tmp.resolve("profile")));
        try {
            List<Drawn> report = open(d, tbptt.resolve(TrainingRun.REPORT), "report-tbptt");
            // Loss, held-out, gradient norm, clipping, ρ(W), trained flow, full-BPTT flow, Jacobians, eigenvalues.
            assertReadable("the TBPTT report", report, HtmlReport.TRAINING_CHARTS + 2);
            assertTrue(
                    report.stream()
                            .anyMatch(c -> c.axes().contains("clipped updates (share)")
                                    && c.legend().stream().anyMatch(l -> l.startsWith("share of updates clipped"))),
                    "the share on its own axis");
            assertReadable(
                    "the copy report",
                    open(d, copy.resolve(TrainingRun.REPORT), "report-copy"),
                    HtmlReport.TRAINING_CHARTS);
            assertReadable("the analysis", open(d, analysis, "analysis"), HtmlReport.ANALYSIS_CHARTS);
            List<Drawn> bad = open(d, broken, "broken-chart");
            assertEquals(
                    List.of("loss", "count"),
                    mixedKinds(bad.get(0)),
                    "the check catches a count beside a loss: " + bad);
        } finally {
            d.quit();
        }
    }
}
