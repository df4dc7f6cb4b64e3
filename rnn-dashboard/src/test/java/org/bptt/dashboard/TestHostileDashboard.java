package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard as a local service that resists the browser: Host and Origin checks, hidden and linked files, broken runs. */
final class TestHostileDashboard {
    @TempDir
    Path tmp;

    /** The status line of a request sent byte for byte with the given headers. */
    private static String status(Dashboard d, String path, String... headers) throws IOException {
        return answer(d, path, headers).lines().findFirst().orElse("");
    }

    private static String answer(Dashboard d, String path, String... headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.port())) {
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersOnlyToItsOwnNamesAndPort() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("r"), 100, 100, false);
        try (Dashboard d = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, null)) {
            int p = d.port();
            for (String ok : new String[] {
                "127.0.0.1", "127.0.0.1:" + p, "localhost:" + p, "LOCALHOST:" + p, "localhost.:" + p, "[::1]:" + p
            }) {
                assertTrue(status(d, "/api/runs", "Host: " + ok).startsWith("HTTP/1.1 200"), ok);
            }
            for (String bad : new String[] {
                "attacker.com",
                "attacker.com:" + p,
                "127.0.0.1:" + (p == 65535 ? 1 : p + 1),
                "localhost.attacker.com:" + p,
                "127.0.0.1.nip.io:" + p,
                "[::1",
                "0.0.0.0:" + p,
                "127.0.0.2:" + p
            }) {
                String a = answer(d, "/api/runs", "Host: " + bad);
                // 421 from the guard; Jetty itself answers 400 to a Host header that is not a host at all.
                assertTrue(
                        a.startsWith("HTTP/1.1 421") || bad.equals("[::1") && a.startsWith("HTTP/1.1 400"),
                        bad + " -> " + a.lines().findFirst().orElse(""));
                assertFalse(
                        a.contains(root.toString()) || a.contains("\"id\""), "nothing of the runs is shown to " + bad);
            }
        }
    }

    @Test
    void refusesOtherSitesPages() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("r"), 100, 100, false);
        try (Dashboard d = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, null)) {
            int p = d.port();
            String host = "Host: 127.0.0.1:" + p;
            assertTrue(status(d, "/api/runs", host, "Origin: http://127.0.0.1:" + p)
                    .startsWith("HTTP/1.1 200"));
            assertTrue(status(
                            d,
                            "/api/runs",
                            host,
                            "Origin: http://localhost:" + p,
                            "Sec-Fetch-Site: same-origin",
                            "Sec-Fetch-Mode: cors")
                    .startsWith("HTTP/1.1 200"));
            for (String[] bad : new String[][] {
                {"Origin: http://attacker.com"},
                {"Origin: null"},
                {"Origin: https://127.0.0.1:" + p},
                {"Origin: http://127.0.0.1"},
                {"Origin: http://127.0.0.1:" + p + "/x"},
                {"Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"},
                {"Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: cors"}
            }) {
                String[] headers = new String[bad.length + 1];
                headers[0] = host;
                System.arraycopy(bad, 0, headers, 1, bad.length);
                String a = answer(d, "/api/run?id=r", headers);
                assertTrue(
                        a.startsWith("HTTP/1.1 403"),
                        String.join(", ", bad) + " -> " + a.lines().findFirst().orElse(""));
                assertFalse(a.contains("\"metrics\""), String.join(", ", bad));
            }
            // A person following a link from another site to the page is let in; the page's own requests are
            // same-origin.
            assertTrue(status(d, "/", host, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate")
                    .startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void servesOnlyWhatItListsAndNoLinkOut() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve(".hidden/r"), 100, 100, false);
        HandMadeRuns.write(root.resolve("linked"), 100, 100, false);
        Path outside = HandMadeRuns.write(tmp.resolve("outside"), 100, 37, false);
        Files.delete(root.resolve("linked").resolve(TrainingRun.DIAGNOSTICS));
        Files.createSymbolicLink(
                root.resolve("linked").resolve(TrainingRun.DIAGNOSTICS), outside.resolve(TrainingRun.DIAGNOSTICS));
        Files.writeString(tmp.resolve("secret.html"), "<p>secret</p>");
        HandMadeRuns.write(root.resolve("reported"), 100, 100, false);
        Files.createSymbolicLink(root.resolve("reported").resolve(TrainingRun.REPORT), tmp.resolve("secret.html"));
        try (Dashboard d = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, null)) {
            String host = "Host: 127.0.0.1:" + d.port();
            String list = answer(d, "/api/runs", host);
            assertFalse(list.contains("\"id\":\".hidden"), list); // ("hidden" alone is a setting: the hidden size)
            assertTrue(
                    status(d, "/api/run?id=.hidden/r", host).startsWith("HTTP/1.1 404"), "a hidden run is not served");
            assertTrue(
                    list.contains("\"id\":\"linked\"")
                            && list.contains("unreadable: diagnostics.json is a symbolic link"),
                    list);
            String linked = answer(d, "/api/run?id=linked", host);
            assertTrue(linked.startsWith("HTTP/1.1 422"), linked);
            assertFalse(linked.contains("\"metrics\""), "the linked history is not served");
            String report = answer(d, "/runs/reported/report.html", host);
            assertTrue(report.startsWith("HTTP/1.1 404") && !report.contains("secret"), report);
            assertTrue(list.contains("\"id\":\"reported\"") && !list.contains("\"report\":true"), list);
        }
    }

    @Test
    void aBrokenRunIsUnreadableWhileTheOthersDraw() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("broken"), 100, 100, false);
        HandMadeRuns.write(root.resolve("good"), 100, 60, false);
        Files.writeString(root.resolve("broken").resolve(TrainingRun.DIAGNOSTICS), "{\"metrics\": 5}");
        try (Dashboard d = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, null)) {
            String host = "Host: 127.0.0.1:" + d.port();
            // The list reads no history: the broken one is listed, and called unreadable once reading it failed.
            assertTrue(answer(d, "/api/runs", host).contains("\"id\":\"broken\""));
            assertTrue(status(d, "/api/run?id=broken", host).startsWith("HTTP/1.1 422"));
            String list = answer(d, "/api/runs", host);
            assertTrue(list.startsWith("HTTP/1.1 200"), list);
            assertTrue(list.contains("\"id\":\"broken\"") && list.contains("unreadable"), list);
            assertTrue(list.contains("\"id\":\"good\""), list);
            String good = answer(d, "/api/run?id=good", host);
            assertTrue(good.startsWith("HTTP/1.1 200") && good.contains("\"reached\":60"), good);
        }
        String js = new String(
                Dashboard.class
                        .getResourceAsStream("/org/bptt/dashboard/app.js")
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(
                js.contains("fetchRun(id).catch("),
                "the page fetches each run on its own, so one failure blanks nothing else");
    }

    @Test
    void anUnknownAddressIsOneSentenceAndEveryInterfaceIsNamed() throws Exception {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> Dashboard.start(tmp, "nosuch.invalid", 0, null));
        assertEquals(
                "the address nosuch.invalid to listen on cannot be resolved to one of this machine's; give an address "
                        + "such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
                e.getMessage());
        try (Dashboard d = Dashboard.start(tmp, Dashboard.DEFAULT_HOST, 0, null)) {
            assertTrue(d.loopbackOnly());
            assertEquals(java.util.List.of(URI.create("http://127.0.0.1:" + d.port() + "/")), d.addresses());
        }
        try (Dashboard d = Dashboard.start(tmp, "0.0.0.0", 0, null)) {
            assertTrue(
                    d.addresses().stream().noneMatch(u -> u.getHost().equals("0.0.0.0")),
                    d.addresses().toString());
            assertTrue(
                    d.addresses().contains(URI.create("http://127.0.0.1:" + d.port() + "/")),
                    d.addresses().toString());
            boolean onlyLoopback = d.addresses().stream()
                    .allMatch(u -> u.getHost().startsWith("127.") || u.getHost().equals("[::1]"));
            assertEquals(onlyLoopback, d.loopbackOnly(), "beyond loopback exactly when another interface listens");
        }
    }
}
