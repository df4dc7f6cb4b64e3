package org.bptt.dashboard;

import static org.bptt.dashboard.TestDashboardInBrowser.chromium;
import static org.bptt.dashboard.TestDashboardInBrowser.inked;
import static org.bptt.dashboard.TestDashboardInBrowser.js;
import static org.bptt.dashboard.TestDashboardInBrowser.last;
import static org.bptt.dashboard.TestDashboardInBrowser.points;
import static org.bptt.dashboard.TestDashboardInBrowser.selectDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.History;
import org.bptt.training.run.LayerSnapshot;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * A stacked bidirectional run in a real browser: one gradient-flow series per layer and one ρ(W)
 * series per layer and direction, with the values of the run's diagnostics.json; a one-layer run
 * shows neither chart. Skipped where Chromium is not installed, as {@link TestDashboardInBrowser}.
 */
final class TestLayersInBrowser {
    @TempDir
    Path tmp;

    @Test
    void oneSeriesPerLayerAndPerRecurrentMatrix() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        Plugins plugins = Plugins.discover();
        Network.Builder small = Network.builder()
                .task("adding", "steps", "12")
                .hidden(8)
                .batch(4)
                .diagnosticsEvery(10)
                .checkpointEvery(0);
        RunConfig stack = small.layers(3).bidirectional(true).config().withIterations(30);
        TrainingRun.create(stack, root.resolve("stack"), plugins, "csv").run(new RunListener() {});
        RunConfig one = Network.builder()
                .task("adding", "steps", "12")
                .hidden(8)
                .batch(4)
                .diagnosticsEvery(10)
                .checkpointEvery(0)
                .config()
                .withIterations(30);
        TrainingRun.create(one, root.resolve("one"), plugins, "csv").run(new RunListener() {});
        List<LayerSnapshot> saved = History.read(root.resolve("stack").resolve(TrainingRun.DIAGNOSTICS), Long.MAX_VALUE)
                .layers();
        LayerSnapshot lastSaved = saved.get(saved.size() - 1);

        WebDriver driver = chromium(Files.createDirectory(tmp.resolve("profile")));
        try (Dashboard dash = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, plugins)) {
            driver.get(dash.uri().toString());
            TestDashboardInBrowser.Waiter wait = new TestDashboardInBrowser.Waiter(driver);
            wait.until(d -> last(d, "stack") == 29 && last(d, "one") == 29);
            assertEquals("stack", selectDetail(driver, "stack"));
            wait.until(d -> points(d, "chart-layer-flow").size() == 3 && inked(d, "chart-layer-flow") > 1000);
            assertEquals(List.of(12L, 12L, 12L), points(driver, "chart-layer-flow"));
            // Diagnostic iterations 0, 10, 20 and the last, 29: four ρ(W) points for each of the 3 × 2 matrices.
            assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L), points(driver, "chart-layer-spectral"));
            assertTrue(inked(driver, "chart-layer-spectral") > 1000);
            assertEquals(List.of("layer 0", "layer 1", "layer 2"), names(driver, "chart-layer-flow"));
            assertEquals(
                    "ρ(W) layer 1 reverse",
                    names(driver, "chart-layer-spectral").get(3));
            // The page draws the run's own numbers: layer 1's norm at step 5, ρ of layer 1 reverse at the last
            // iteration.
            assertEquals(
                    lastSaved.flow().get(1)[5],
                    ((Number)
                                    js(
                                            driver,
                                            "return echarts.getInstanceByDom("
                                                    + "document.getElementById('chart-layer-flow')).getOption().series[1].data[5][1];"))
                            .doubleValue(),
                    0);
            assertEquals(
                    lastSaved.radius()[3],
                    ((Number)
                                    js(
                                            driver,
                                            "return echarts.getInstanceByDom("
                                                    + "document.getElementById('chart-layer-spectral')).getOption().series[3].data[3][1];"))
                            .doubleValue(),
                    0);

            selectDetail(driver, "one");
            wait.until(d -> (Boolean) js(
                    d,
                    "return document.getElementById('chart-layer-flow').classList.contains('hidden')"
                            + " && document.getElementById('chart-layer-spectral').classList.contains('hidden');"));
            assertEquals(
                    List.of(),
                    driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                            .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                            .toList());
        } finally {
            driver.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(WebDriver d, String chart) {
        return (List<String>) js(
                d,
                "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption()"
                        + ".series.map(s => s.name);",
                chart);
    }
}
