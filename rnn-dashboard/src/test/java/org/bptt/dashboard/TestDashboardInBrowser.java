package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.bptt.report.RunReport;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Selenium through
 * chromium-driver. Charts render, a run's new metrics appear without reloading (from its files,
 * and live from a run training in this process), the console stays free of errors, and paths
 * out of the folder are refused. Skipped, saying so, where Chromium is not installed
 * ({@code ./run-tests} installs it). With {@code -Ddashboard.screenshots=DIR} it saves what it saw.
 */
final class TestDashboardInBrowser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    static WebDriver chromium(Path profile) {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "SKIPPED: the dashboard's browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver); ./run-tests installs them with apt-get where it can");
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
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1400,1100",
                "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, o);
    }

    static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    /** How many points each series of a chart holds, as ECharts itself reports. */
    @SuppressWarnings("unchecked")
    static List<Long> points(WebDriver d, String chart) {
        return (List<Long>) js(
                d,
                "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                        + "return c ? c.getOption().series.map(s => (s.data || []).length) : [];",
                chart);
    }

    /** How many pixels of a chart's canvas are not background: something was drawn. */
    static long inked(WebDriver d, String chart) {
        return (Long) js(
                d,
                "const cv = document.querySelector('#' + arguments[0] + ' canvas');"
                        + "if (!cv) return 0; const x = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;"
                        + "let n = 0; for (let i = 0; i < x.length; i += 4) { if (x[i + 3] > 0 && (x[i] < 230 || x[i + 1] < 230 || x[i + 2] < 230)) n++; }"
                        + "return n;",
                chart);
    }

    static long last(WebDriver d, String run) {
        return (Long) js(d, "return window.rnnDashboard ? window.rnnDashboard.lastIteration(arguments[0]) : -1;", run);
    }

    /** The whole page as a PNG in the folder {@code dashboard.screenshots} names, when it names one. */
    private static void screenshot(WebDriver d, String name) throws IOException {
        String dir = System.getProperty("dashboard.screenshots");
        if (dir != null) {
            long height = (Long) js(d, "return document.documentElement.scrollHeight;");
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(8000, height + 120)));
            js(d, "window.dispatchEvent(new Event('resize'));");
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1100));
        }
    }

    @Test
    void chartsRenderGrowWithoutReloadingAndPathsOutAreRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("text-lm"), 400, 150, true);
        Files.writeString(tmp.resolve("secret.txt"), "root:x:0:0");
        Plugins plugins = Plugins.discover();
        // A real run with a checkpoint: the spectrum of W at its end and the measured verdict come from it.
        RunConfig small = Network.builder()
                .task("adding", "steps", "15")
                .hidden(16)
                .batch(8)
                .diagnosticsEvery(5)
                .checkpointEvery(0)
                .config();
        TrainingRun.create(small.withIterations(60), root.resolve("adding-small"), plugins, "csv")
                .run(new RunReport());

        WebDriver driver = chromium(Files.createDirectory(tmp.resolve("profile")));
        Thread trainer = null;
        CountDownLatch release = new CountDownLatch(1);
        try (Dashboard dash = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, plugins)) {
            // A run training in this process, shown live: it writes no file until its end, the page sees it from
            // memory.
            TrainingRun liveRun = TrainingRun.create(small.withIterations(400), root.resolve("live"), plugins, "csv");
            AtomicReference<Throwable> failed = new AtomicReference<>();
            RunListener slow = dash.live(liveRun, new RunListener() {
                @Override
                public void iteration(TrainingRun r, IterationMetrics m) {
                    try {
                        if (m.iteration() == 100) {
                            release.await(60, TimeUnit.SECONDS); // hold here until the page has seen the first 100
                        } else {
                            Thread.sleep(2);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            trainer = new Thread(
                    () -> {
                        try {
                            liveRun.run(slow);
                        } catch (Throwable t) {
                            failed.set(t);
                        }
                    },
                    "live-run");
            trainer.start();

            URI base = dash.uri();
            driver.get(base.toString());
            js(driver, "window.__sameDocument = 42;");
            Waiter wait = new Waiter(driver);
            wait.until(d -> last(d, "text-lm") == 149 && last(d, "adding-small") == 59);

            // Every chart has its data and ink on its canvas.
            wait.until(d -> points(d, "chart-loss").stream().anyMatch(n -> n >= 150) && inked(d, "chart-loss") > 2000);
            for (String c : List.of("chart-grad", "chart-spectral", "chart-flow", "chart-evals")) {
                assertTrue(points(driver, c).stream().anyMatch(n -> n > 0), c + " has data: " + points(driver, c));
                assertTrue(inked(driver, c) > 1000, c + " is drawn: " + inked(driver, c));
            }
            assertEquals("text-lm", selectDetail(driver, "text-lm"));
            wait.until(d -> inked(d, "chart-flow") > 5000);
            // Held-out bits per character of the hand-made history: three evaluations (0, 50, 100).
            assertTrue(
                    points(driver, "chart-evals").contains(3L),
                    points(driver, "chart-evals").toString());
            String verdicts = driver.findElement(By.id("verdicts")).getText();
            // The recorded flow's gain over its 20 steps, 0.7^19 = 0.00114, decides (one curve: no interval).
            assertTrue(verdicts.contains("vanishing ×0.00114 over T"), verdicts);
            assertTrue(verdicts.contains("held-out loss at iteration 100"), verdicts);
            selectDetail(driver, "adding-small");
            wait.until(d -> points(d, "chart-eigen").size() == 3 && inked(d, "chart-eigen") > 1000);
            screenshot(driver, "dashboard");

            // The hand-made run grows on disk; the live run in memory: both appear without a reload.
            HandMadeRuns.write(root.resolve("text-lm"), 400, 300, true);
            assertEquals(
                    Boolean.TRUE,
                    js(driver, "return document.querySelector('#runs li[data-run=\"live\"] input').checked;"),
                    "runs present at the start are shown");
            wait.until(d -> last(d, "text-lm") == 299);
            wait.until(d -> last(d, "live") >= 99);
            release.countDown();
            wait.until(d -> last(d, "live") >= 200);
            assertEquals(42L, js(driver, "return window.__sameDocument;"), "the page was not reloaded");
            assertTrue(
                    points(driver, "chart-loss").stream().anyMatch(n -> n >= 300),
                    points(driver, "chart-loss").toString());
            screenshot(driver, "dashboard-grown");

            // The smoothing and axis controls redraw without errors.
            js(
                    driver,
                    "const s = document.getElementById('smoothing'); s.value = '0'; s.dispatchEvent(new Event('input'));"
                            + "const y = document.getElementById('yscale'); y.value = 'linear'; y.dispatchEvent(new Event('change'));");
            assertEquals(
                    "value",
                    js(
                            driver,
                            "return echarts.getInstanceByDom(document.getElementById('chart-loss')).getOption().yAxis[0].type;"));

            // (The test's own pixel counting makes Chromium warn about canvas read-backs: errors are what count.)
            List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertEquals(List.of(), errors, "no errors in the browser's console");

            // The run's report opens from the dashboard.
            driver.get(base.resolve("runs/adding-small/report.html").toString());
            assertTrue(driver.getTitle().contains("adding"), driver.getTitle());
            screenshot(driver, "report");

            // Paths out of the folder are refused, however they are spelled.
            for (String path : List.of(
                    "runs/..%2F..%2Fsecret.txt/report.html",
                    "runs/%2e%2e/%2e%2e/secret.txt", "api/run?id=..%2Fsecret.txt", "api/run?id=%2F..%2Fsecret.txt")) {
                driver.get(base + path);
                String body = driver.findElement(By.tagName("body")).getText();
                assertFalse(body.contains("root:x"), path + " leaked the file");
                assertTrue(
                        body.contains("not found")
                                || body.contains("no such run")
                                || body.contains("Bad")
                                || body.contains("400"),
                        path + ": " + body);
            }
            driver.get(base.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> statuses = (Map<String, Object>) ((JavascriptExecutor) driver)
                    .executeAsyncScript("const done = arguments[arguments.length - 1];"
                            + "Promise.all(['../secret.txt', 'adding-small/../../secret.txt', 'adding-small']"
                            + ".map(id => fetch('api/run?id=' + encodeURIComponent(id)).then(r => [id, r.status])))"
                            + ".then(l => done(Object.fromEntries(l)));");
            assertEquals(404L, statuses.get("../secret.txt"));
            assertEquals(404L, statuses.get("adding-small/../../secret.txt"));
            assertEquals(200L, statuses.get("adding-small"));
            trainer.join(60_000);
            assertEquals(null, failed.get());
        } finally {
            release.countDown();
            driver.quit();
            if (trainer != null) {
                trainer.join(60_000);
            }
        }
    }

    /** Waits for a condition; on a timeout, fails with what the page said (console, status line, runs held). */
    record Waiter(WebDriver driver) {
        void until(java.util.function.Function<WebDriver, Boolean> condition) {
            try {
                new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition::apply);
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError(
                        "the page did not get there in 30 s; status: "
                                + driver.findElement(By.id("status")).getText() + "; last iterations held: "
                                + js(
                                        driver,
                                        "return JSON.stringify(Object.fromEntries(Object.entries(window.rnnDashboard.state.data)"
                                                + ".map(([k, v]) => [k, v.next])));")
                                + "; selected: "
                                + js(driver, "return JSON.stringify([...window.rnnDashboard.state.selected]);")
                                + "; console: "
                                + driver.manage().logs().get(LogType.BROWSER).getAll(),
                        e);
            }
        }
    }

    static String selectDetail(WebDriver d, String run) {
        js(
                d,
                "const s = document.getElementById('detail'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
                run);
        return (String) js(d, "return document.getElementById('detail').value;");
    }
}
