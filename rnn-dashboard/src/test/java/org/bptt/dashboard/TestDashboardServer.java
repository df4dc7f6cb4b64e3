package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over HTTP: what it serves, what it refuses, where it listens. */
final class TestDashboardServer {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request sent byte for byte, so that no client library tidies its path first. */
    private static String raw(Dashboard d, String requestLine) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.port())) {
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesThePageTheLibraryAndTheRunsAndNothingElse() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("r"), 100, 100, false);
        Files.writeString(root.resolve("r/report.html"), "<html>report</html>");
        Files.writeString(root.resolve("r/notes.txt"), "private");
        Files.writeString(tmp.resolve("secret.txt"), "root:x:0:0");
        try (Dashboard d = Dashboard.start(root, Dashboard.DEFAULT_HOST, 0, null)) {
            URI base = d.uri();
            assertEquals("127.0.0.1", base.getHost());
            HttpResponse<String> page = get(base, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"lib/echarts.min.js\">"), page.body());
            HttpResponse<String> lib = get(base, "/lib/echarts.min.js");
            assertEquals(200, lib.statusCode());
            assertTrue(lib.body().length() > 500_000 && lib.body().contains("echarts"), "the bundled chart library");
            assertTrue(lib.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
            assertTrue(get(base, "/api/runs").body().contains("\"id\":\"r\""));
            assertEquals(200, get(base, "/api/run?id=r&since=90").statusCode());
            assertEquals("<html>report</html>", get(base, "/runs/r/report.html").body());

            for (String path : new String[] {
                "/runs/r/notes.txt",
                "/runs/r/config.json",
                "/api/run?id=..",
                "/api/run?id=../secret.txt",
                "/api/run?id=%2Fetc",
                "/runs/..%2Fsecret.txt/report.html",
                "/app.js/../../secret.txt",
                "/nope"
            }) {
                HttpResponse<String> r = get(base, path);
                assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + " answered " + r.statusCode());
                assertFalse(r.body().contains("root:x") || r.body().contains("private"), path);
            }
            for (String line : new String[] {
                "GET /runs/../../secret.txt HTTP/1.1",
                "GET /../secret.txt HTTP/1.1",
                "GET /runs/r/../../secret.txt HTTP/1.1",
                "GET /%2e%2e/secret.txt HTTP/1.1"
            }) {
                String answer = raw(d, line);
                assertTrue(
                        answer.startsWith("HTTP/1.1 400") || answer.startsWith("HTTP/1.1 404"),
                        line + " -> " + answer.lines().findFirst().orElse(""));
                assertFalse(answer.contains("root:x"), line);
            }
            // On a fresh connection: the JDK client re-sends an idempotent request whose pooled connection the
            // server closed after a refusal above, but not a POST or DELETE, which then fail now and then with EOF.
            HttpClient writes = HttpClient.newHttpClient();
            HttpResponse<String> post = writes.send(
                    HttpRequest.newBuilder(base.resolve("/api/runs"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), "read-only");
            HttpResponse<String> delete = writes.send(
                    HttpRequest.newBuilder(base.resolve("/runs/r/report.html"))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, delete.statusCode());
            assertTrue(Files.exists(root.resolve("r/report.html")));
        }
    }

    @Test
    void refusesAMissingFolderAndAPortInUseInOneSentence() throws IOException {
        ConfigurationException missing = assertThrows(
                ConfigurationException.class,
                () -> Dashboard.start(tmp.resolve("none"), Dashboard.DEFAULT_HOST, 0, null));
        assertTrue(missing.getMessage().contains("is not a folder"), missing.getMessage());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfigurationException busy = assertThrows(
                    ConfigurationException.class,
                    () -> Dashboard.start(tmp, Dashboard.DEFAULT_HOST, taken.getLocalPort(), null));
            assertTrue(
                    busy.getMessage().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    busy.getMessage());
            assertTrue(busy.getMessage().contains("choose another port"), busy.getMessage());
        }
    }
}
