package org.bptt.dashboard;

import static org.bptt.dashboard.TestDashboardInBrowser.chromium;
import static org.bptt.dashboard.TestDashboardInBrowser.inked;
import static org.bptt.dashboard.TestDashboardInBrowser.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard over many runs copied from three real ones (three learning rates, many seeds),
 * in Chromium: search, grouping by a varied setting, a group's mean and band checked against the
 * runs' own files, a tooltip that lists every shown series, distinct styles past 8 series, and a
 * screenshot of 2,000 runs under target/screenshots.
 */
final class TestManyRunsInBrowser {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;

    private static void until(WebDriver d, int seconds, java.util.function.Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(d, Duration.ofSeconds(seconds)).until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(
                    "the page did not get there in " + seconds + " s; status: "
                            + d.findElement(By.id("status")).getText() + "; console: "
                            + d.manage().logs().get(LogType.BROWSER).getAll(),
                    e);
        }
    }

    /** The whole page, as tall as it is. */
    private static void screenshot(WebDriver d, String name) throws IOException {
        long height = (Long) js(d, "return document.documentElement.scrollHeight;");
        d.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(4000, height + 120)));
        js(d, "window.dispatchEvent(new Event('resize'));");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
        d.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1100));
    }

    private static String text(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    /** Clicks a checkbox as found at that moment: the list is redrawn as runs are fetched, so a held element goes stale. */
    private static void check(WebDriver d, String css) {
        assertEquals(
                Boolean.TRUE,
                js(
                        d,
                        "const b = document.querySelector(arguments[0]); if (!b) return false; b.click(); return true;",
                        css),
                css);
    }

    /** The loss column of a metrics.csv, by iteration. */
    private static double loss(Path run, int iteration) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        String[] cells = lines.get(iteration + 1).split(",", -1);
        assertEquals(Integer.toString(iteration), cells[0]);
        return Double.parseDouble(cells[1]);
    }

    @Test
    void searchGroupBandTooltipAndStylesOverTwentyFourRuns() throws Exception {
        Plugins plugins = Plugins.discover();
        Path root = Files.createDirectory(tmp.resolve("runs"));
        SampleRuns.copy(SampleRuns.train(tmp.resolve("real"), plugins), root, 24);
        WebDriver driver = chromium(Files.createDirectory(tmp.resolve("profile")));
        try (Dashboard dash = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, plugins)) {
            driver.get(dash.uri().toString());
            until(driver, 60, d -> text(d, "matching").equals("24 runs"));

            // Search: every word must appear in the run's name or settings.
            driver.findElement(By.id("search")).sendKeys("lr=0.01");
            until(driver, 10, d -> text(d, "matching").equals("8 of 24 runs match"));
            List<WebElement> listed = driver.findElements(By.cssSelector("#runs li[data-run]"));
            assertEquals(8, listed.size());
            listed.forEach(
                    li -> assertTrue(li.getAttribute("data-run").contains("-lr=0.01-"), li.getAttribute("data-run")));
            driver.findElement(By.id("search")).sendKeys(" seed=3");
            until(driver, 10, d -> text(d, "matching").equals("1 of 24 runs match"));
            driver.findElement(By.id("search")).clear();
            js(driver, "document.getElementById('search').dispatchEvent(new Event('input'));");
            until(driver, 10, d -> text(d, "matching").equals("24 runs"));

            // Group by the learning rate: the varied settings are offered, three groups of eight.
            driver.findElement(By.cssSelector("#grouping summary")).click();
            List<String> keys = driver.findElements(By.cssSelector("#groupby input")).stream()
                    .map(e -> e.getAttribute("value"))
                    .toList();
            assertEquals(List.of("optimizer.lr", "seed"), keys);
            check(driver, "#groupby input[value='optimizer.lr']");
            until(
                    driver,
                    20,
                    d -> d.findElements(By.cssSelector("#runs li.group")).size() == 3);
            List<String> groups = driver.findElements(By.cssSelector("#runs li.group")).stream()
                    .map(e -> e.getAttribute("data-group"))
                    .toList();
            assertEquals(List.of("optimizer.lr=0.003", "optimizer.lr=0.01", "optimizer.lr=0.03"), groups);
            assertTrue(driver.findElement(By.cssSelector("#runs li.group[data-group='optimizer.lr=0.01']"))
                    .getText()
                    .contains("8 runs"));

            // Raw values (no smoothing), linear axis: the chart's numbers are the server's.
            js(
                    driver,
                    "const s = document.getElementById('smoothing'); s.value = '0'; s.dispatchEvent(new Event('input'));"
                            + "const y = document.getElementById('yscale'); y.value = 'linear'; y.dispatchEvent(new Event('change'));");
            driver.findElement(By.id("hide-all")).click();
            check(driver, "#runs li.group[data-group='optimizer.lr=0.01'] input");
            String mean = "optimizer.lr=0.01 (mean of 8)";
            until(driver, 60, d -> seriesNames(d).contains(mean));

            // The mean and band at iteration 100, worked out here from the eight runs' metrics.csv.
            double[] v = new double[8];
            int k = 0;
            for (int i = 0; i < 24; i++) {
                Path run = root.resolve("sweep")
                        .resolve(String.format(
                                java.util.Locale.ROOT,
                                "%04d-lr=%s-seed=%d",
                                i,
                                SampleRuns.RATES.get(i % 3),
                                i / 3 + 1));
                if (i % 3 == 1) {
                    v[k++] = loss(run, 100);
                }
            }
            double m = java.util.Arrays.stream(v).average().orElseThrow();
            double sd = Math.sqrt(
                    java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / 7);
            @SuppressWarnings("unchecked")
            List<Number> shown = (List<Number>) js(
                    driver,
                    "const o = echarts.getInstanceByDom(document.getElementById('chart-loss'))"
                            + ".getOption(); const line = o.series.find(s => s.name === arguments[0]);"
                            + "const band = o.series.find(s => s.name === arguments[0] + ' band');"
                            + "const at = (d, x) => d.find(p => p[0] === x)[1];"
                            + "const g = window.rnnDashboard.state.groupData['optimizer.lr=0.01'].loss;"
                            + "const i = g.iteration.indexOf(100);"
                            + "return [at(line.data, 100), at(band.data, 100), g.lower[i], Math.min(...g.lower)];",
                    mean);
            assertEquals(m, shown.get(0).doubleValue(), 1e-9 * m, "mean drawn");
            assertEquals(m + sd, shown.get(1).doubleValue(), 1e-9 * m, "band's upper edge drawn");
            assertEquals(Math.max(0, m - sd), shown.get(2).doubleValue(), 1e-9 * m, "band's lower edge");
            assertTrue(shown.get(3).doubleValue() >= 0, "a loss band never goes below 0");
            assertTrue(inked(driver, "chart-loss") > 2000);

            // Ten runs beside the group: eleven series, each in its own colour and dash.
            List<String> runs = new ArrayList<>(driver.findElements(By.cssSelector("#runs li[data-run]")).stream()
                    .map(e -> e.getAttribute("data-run"))
                    .limit(10)
                    .toList());
            for (String id : runs) {
                check(driver, "#runs li[data-run='" + id + "'] input");
            }
            until(driver, 60, d -> seriesNames(d).size() == 11);
            @SuppressWarnings("unchecked")
            List<String> styles = (List<String>) js(
                    driver,
                    "return echarts.getInstanceByDom(document.getElementById('chart-loss'))"
                            + ".getOption().series.filter(s => s.type === 'line' && s.data.length && !s.silent)"
                            + ".map(s => JSON.stringify([s.lineStyle.color, s.lineStyle.type]));");
            assertEquals(11, styles.size());
            assertEquals(11, new HashSet<>(styles).size(), "no two series drawn alike: " + styles);
            Set<String> colours = new HashSet<>();
            styles.forEach(s -> colours.add(s.substring(0, s.indexOf(','))));
            assertEquals(8, colours.size(), "8 colours, then dashes: " + styles);
            @SuppressWarnings("unchecked")
            List<String> legend = (List<String>) js(
                    driver,
                    "return echarts.getInstanceByDom(document.getElementById('chart-loss'))"
                            + ".getOption().legend[0].data;");
            assertEquals(
                    new HashSet<>(seriesNames(driver)), new HashSet<>(legend), "the legend names every shown series");

            // The tooltip at iteration 100 lists every shown series with its value there.
            until(driver, 10, d -> tipRows(d).size() == 11);
            List<List<String>> rows = tipRows(driver);
            Set<String> named = new HashSet<>();
            for (List<String> r : rows) {
                named.add(r.get(0));
                assertTrue(!r.get(1).contains("n/a"), "a value for " + r);
            }
            assertEquals(new HashSet<>(seriesNames(driver)), named);
            String first = runs.get(0);
            String row = rows.stream()
                    .filter(r -> r.get(0).equals(first))
                    .findFirst()
                    .orElseThrow()
                    .get(1);
            assertTrue(
                    row.contains(fmt(loss(root.resolve(first), 100))),
                    row + " shows " + fmt(loss(root.resolve(first), 100)));
            assertTrue(
                    rows.stream()
                            .anyMatch(r -> r.get(0).equals(mean) && r.get(1).contains("…")),
                    "the group's row gives its band");
            screenshot(driver, "dashboard-groups");

            List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertEquals(List.of(), errors, "no errors in the browser's console");
        } finally {
            driver.quit();
        }
    }

    /** The page's number format (app.js fmt) for values between 1e-3 and 1e5: four significant digits. */
    private static String fmt(double v) {
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** Hovers the loss chart at iteration 100 and reads the tooltip's rows: [series, text] each (in one step: the page redraws every 2 s). */
    @SuppressWarnings("unchecked")
    private static List<List<String>> tipRows(WebDriver d) {
        return (List<List<String>>)
                js(
                        d,
                        "const c = echarts.getInstanceByDom(document.getElementById('chart-loss'));"
                                + "const p = c.convertToPixel({gridIndex: 0}, [100, 0.05]); c.dispatchAction({type: 'showTip', x: p[0], y: p[1]});"
                                + "return [...document.querySelectorAll('#chart-loss .tip-row')].map(r => [r.dataset.series, r.textContent]);");
    }

    @SuppressWarnings("unchecked")
    private static List<String> seriesNames(WebDriver d) {
        return (List<String>)
                js(
                        d,
                        "const c = echarts.getInstanceByDom(document.getElementById('chart-loss'));"
                                + "return c ? c.getOption().series.filter(s => s.type === 'line' && s.data.length && !s.silent).map(s => s.name) : [];");
    }

    @Test
    void twoThousandRuns() throws Exception {
        Plugins plugins = Plugins.discover();
        Path root = Files.createDirectory(tmp.resolve("runs"));
        SampleRuns.copy(SampleRuns.train(tmp.resolve("real"), plugins), root, 2000);
        WebDriver driver = chromium(Files.createDirectory(tmp.resolve("profile")));
        try (Dashboard dash = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, plugins)) {
            driver.get(dash.uri().toString());
            until(driver, 120, d -> text(d, "matching").equals("2000 runs"));
            assertEquals(
                    200,
                    driver.findElements(By.cssSelector("#runs li[data-run]")).size(),
                    "the list shows 200");
            assertTrue(text(driver, "runs").contains("1800 more runs match"), "and says how many more");
            // The four runs written last are shown at the start.
            until(driver, 120, d -> seriesNames(d).size() == 4);
            driver.findElement(By.cssSelector("#grouping summary")).click();
            check(driver, "#groupby input[value='optimizer.lr']");
            until(
                    driver,
                    60,
                    d -> d.findElements(By.cssSelector("#runs li.group")).size() == 3);
            // Each group lists its share of the 200 runs listed, and says how many more it has.
            assertEquals(
                    198,
                    driver.findElements(By.cssSelector("#runs li[data-run]")).size());
            assertTrue(text(driver, "runs").contains("601 more runs match"), "667 − 66 in the first group");
            for (String g : List.of("optimizer.lr=0.003", "optimizer.lr=0.03")) {
                check(driver, "#runs li.group[data-group='" + g + "'] input");
            }
            until(
                    driver,
                    300,
                    d -> seriesNames(d)
                            .containsAll(
                                    List.of("optimizer.lr=0.003 (mean of 667)", "optimizer.lr=0.03 (mean of 666)")));
            assertTrue(inked(driver, "chart-loss") > 2000);
            screenshot(driver, "dashboard-2000-runs");
        } finally {
            driver.quit();
        }
    }
}
