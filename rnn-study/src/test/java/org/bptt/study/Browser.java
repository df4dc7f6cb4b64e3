package org.bptt.study;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Study pages as headless Chromium shows them: each chart's title, axis labels and legend (told
 * apart by the font sizes the study charts give them: 15, 13 and 12 px), its whiskers (the lines of
 * {@link StudyCharts#WHISKER_WIDTH}) read back as values through the y axis's tick labels, and the
 * page's links. Screenshots go to {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    /**
     * One chart as drawn.
     *
     * @param whiskers each whisker's {lowest, highest} value as read off the y axis
     * @param pixel    the value of one pixel on the y axis (the reading's resolution)
     */
    record Drawn(String title, List<String> axes, List<String> legend, List<double[]> whiskers, double pixel) {}

    private final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    /** Chromium, or the test skipped (saying why) where it is not installed. */
    static Browser open(Path profile) {
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
        return new Browser(new ChromeDriver(service, o));
    }

    @Override
    public void close() {
        driver.quit();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Opens a page and saves its full-length screenshot as {@code name.png}. */
    void show(Path page, String name) throws IOException {
        driver.get(page.toUri().toString());
        long height = (Long) js("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1100, (int) Math.min(16000, height + 100)));
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** The shown page's charts. */
    @SuppressWarnings("unchecked")
    List<Drawn> charts() {
        List<Map<String, Object>> raw = (List<Map<String, Object>>) js("""
                const whisker = '%s';
                return [...document.querySelectorAll('figure svg')].map(svg => {
                  const texts = [...svg.querySelectorAll('text')];
                  const by = px => texts.filter(t => getComputedStyle(t).fontSize === px)
                      .map(t => t.textContent.trim()).filter(s => s.length > 0);
                  const lines = [...svg.querySelectorAll('line, path, polyline')]
                      .filter(e => getComputedStyle(e).strokeWidth === whisker).map(e => e.getBoundingClientRect());
                  const left = Math.min(...lines.map(r => r.left));
                  const ticks = texts.filter(t => getComputedStyle(t).fontSize === '11px')
                      .map(t => ({r: t.getBoundingClientRect(), v: t.textContent.trim().replace(/,/g, '')}))
                      .filter(t => t.v !== '' && !isNaN(Number(t.v)) && t.r.right < left)
                      .map(t => [Number(t.v), (t.r.top + t.r.bottom) / 2]);
                  return {title: by('15px').join(' '), axes: by('13px'), legend: by('12px'),
                          whiskers: lines.map(r => [r.top, r.bottom]), ticks: ticks};
                });""".formatted(StudyCharts.WHISKER_WIDTH + "px"));
        List<Drawn> charts = new ArrayList<>();
        for (Map<String, Object> m : raw) {
            List<List<Number>> ticks = (List<List<Number>>) m.get("ticks");
            List<double[]> whiskers = new ArrayList<>();
            double pixel = Double.NaN;
            List<List<Number>> drawn = (List<List<Number>>) m.get("whiskers");
            if (!drawn.isEmpty()) {
                if (ticks.size() < 2) {
                    throw new AssertionError(
                            m.get("title") + ": whiskers but fewer than two y tick labels to read them by");
                }
                // value = a + b·y through the first and last tick labels (screen y grows downwards).
                double v0 = ticks.get(0).get(0).doubleValue();
                double y0 = ticks.get(0).get(1).doubleValue();
                double v1 = ticks.get(ticks.size() - 1).get(0).doubleValue();
                double y1 = ticks.get(ticks.size() - 1).get(1).doubleValue();
                double b = (v1 - v0) / (y1 - y0);
                pixel = Math.abs(b);
                for (List<Number> w : drawn) {
                    double top = v0 + b * (w.get(0).doubleValue() - y0);
                    double bottom = v0 + b * (w.get(1).doubleValue() - y0);
                    whiskers.add(new double[] {Math.min(top, bottom), Math.max(top, bottom)});
                }
            }
            charts.add(new Drawn(
                    (String) m.get("title"),
                    (List<String>) m.get("axes"),
                    (List<String>) m.get("legend"),
                    whiskers,
                    pixel));
        }
        return charts;
    }

    /** The cells of the first table after the heading {@code h2} of the shown page, row by row (header row first). */
    @SuppressWarnings("unchecked")
    List<List<String>> table(String h2) {
        return (List<List<String>>) js("""
                const h = [...document.querySelectorAll('h2')].find(e => e.textContent === '%s');
                let t = h; while (t && t.tagName !== 'TABLE') { t = t.nextElementSibling; if (t && t.querySelector('table')) t = t.querySelector('table'); }
                return t ? [...t.querySelectorAll('tr')].map(r => [...r.children].map(c => c.textContent)) : [];""".formatted(h2));
    }

    /** Every link's href on the shown page. */
    @SuppressWarnings("unchecked")
    List<String> links() {
        return (List<String>) js("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));");
    }

    /** Where a relative link of a page leads, as a file path; null for one that leaves the file system. */
    static Path target(Path page, String href) {
        URI u = page.toUri().resolve(href);
        return u.getScheme().equals("file") ? Path.of(u) : null;
    }

    /**
     * The kind of quantity an axis or series label names, or null when it names none this check
     * knows (a setting's value, a run's name). The order matters: "clipped updates (share)" is a
     * share before it is anything else.
     */
    static String kind(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        if (l.contains("share") || l.contains("clipped updates")) {
            return "share";
        }
        if (l.contains("sequences") && !l.startsWith("sequence ")) {
            return "count";
        }
        if (l.contains("accuracy") || l.contains("correct") || l.contains("fraction") || l.contains("succeeded")) {
            return "fraction";
        }
        if (l.contains("norm")) {
            return "gradient norm";
        }
        if (l.contains("loss") || l.contains("mse")) {
            return "loss";
        }
        return null;
    }

    /** The kinds of quantity a chart's legend and value axis show, when there are more than its one value axis can carry. */
    static List<String> mixedKinds(Drawn c) {
        Set<String> kinds = new LinkedHashSet<>();
        c.legend().stream().map(Browser::kind).filter(k -> k != null).forEach(kinds::add);
        long valueAxes = c.axes().size() - 1; // one label is the x axis
        return kinds.size() > Math.max(1, valueAxes) ? new ArrayList<>(kinds) : List.of();
    }

    /** The whiskers of a chart reaching beyond its quantity's range by more than a pixel, as text; empty when none. */
    static List<String> whiskersOutOfRange(Drawn c, Quantity q) {
        List<String> out = new ArrayList<>();
        for (double[] w : c.whiskers()) {
            if (w[0] < q.lowest() - c.pixel() || w[1] > q.highest() + c.pixel()) {
                out.add(String.format(Locale.ROOT, "[%.4f, %.4f]", w[0], w[1]));
            }
        }
        return out;
    }
}
