package org.bptt.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A read-only web server over a folder of runs (Jetty's core handlers): the page
 * ({@code index.html}, its script and style, the ECharts library from its WebJar), the runs'
 * data as JSON ({@code /api/runs?by=SETTING}, {@code /api/run?id=RUN&since=ITERATION},
 * {@code /api/group?id=RUN&id=RUN...} for a group's mean and band) and their reports
 * ({@code /runs/RUN/report.html}). It answers GET and HEAD only, serves nothing but those, and
 * nothing outside the folder ({@link RunStore}). Binds 127.0.0.1 unless told otherwise.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start(Path.of("runs"), "127.0.0.1", 7070, Plugins.discover())) {
 *     System.out.println(d.uri());
 *     ...
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    /** The port {@code rnn dashboard} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 7070;
    /** The address it binds unless told otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Where the page asks for new data, in milliseconds (the page's own constant says the same). */
    public static final int POLL_MILLIS = 2000;

    private static final String RESOURCES = "/org/bptt/dashboard/";
    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final Map<String, String> STATIC = Map.of(
            "/", RESOURCES + "index.html",
            "/index.html", RESOURCES + "index.html",
            "/app.js", RESOURCES + "app.js",
            "/layers.js", RESOURCES + "layers.js",
            "/app.css", RESOURCES + "app.css",
            "/lib/echarts.min.js", ECHARTS);

    /** JSON without the run files' indentation: the page polls, the metrics are long. */
    private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Server server;
    private final ServerConnector connector;
    private final RunStore store;
    /** Set once the port is known; until then every request is refused. */
    private volatile HostGuard guard;

    private Dashboard(Server server, ServerConnector connector, RunStore store) {
        this.server = server;
        this.connector = connector;
        this.store = store;
    }

    /**
     * Serves the runs under {@code dir}.
     *
     * @param plugins the plugins to rebuild networks with (for the spectrum of W at the last
     *                checkpoint and the measured verdict), or null to show only the files' history
     * @param port    0 for any free port
     * @throws ConfigurationException when the folder does not exist or the port cannot be bound
     */
    public static Dashboard start(Path dir, String host, int port, Plugins plugins) {
        requireNonNull(dir, "dir is null");
        requireNonNull(host, "host is null");
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(dir + " is not a folder; give the folder that holds the runs (e.g. runs)");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("the port must be between 0 and 65535, got " + port);
        }
        InetAddress bound;
        try {
            bound = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigurationException(
                    "the address " + host + " to listen on cannot be resolved to one of this machine's; "
                            + "give an address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        RunStore store;
        try {
            store = new RunStore(dir, plugins);
        } catch (IOException e) {
            throw new ConfigurationException("the folder " + dir + " cannot be read (" + e.getMessage() + ")");
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("dashboard");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // A group's mean names its runs in the query: a few hundred run names.
        http.setRequestHeaderSize(128 * 1024);
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        c.setHost(bound.getHostAddress());
        c.setPort(port);
        server.addConnector(c);
        server.setStopAtShutdown(false);
        Dashboard d = new Dashboard(server, c, store);
        server.setHandler(d.new Routes());
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // Nothing was started that needs stopping.
            }
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            throw new ConfigurationException("the dashboard cannot listen on " + host + ":" + port + " ("
                    + (cause instanceof BindException
                            ? "the port is in use or the address is not this machine's"
                            : cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    + "); choose another port or address");
        }
        d.guard = HostGuard.of(host, bound, c.getLocalPort());
        // The run list is indexed while the user opens the page: the first request finds it read.
        Thread.ofVirtual().name("dashboard-index").start(() -> {
            try {
                store.lines();
            } catch (RuntimeException e) {
                // The first request reads again and answers with what went wrong.
            }
        });
        return d;
    }

    /** The page's address, e.g. http://127.0.0.1:7070/. */
    public URI uri() {
        String host = connector.getHost();
        try {
            if (host.isEmpty() || InetAddress.getByName(host).isAnyLocalAddress()) {
                host = "127.0.0.1";
            }
        } catch (IOException e) {
            // keep the name as given
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /**
     * Whether the dashboard can be reached only from this machine. When not, anyone who can reach
     * one of {@link #addresses()} sees the runs' folders, configurations and metrics.
     */
    public boolean loopbackOnly() {
        return guard.loopbackOnly();
    }

    /** The page's address on every interface listened on (one for a single address, all of them for 0.0.0.0). */
    public List<URI> addresses() {
        return guard.addresses();
    }

    /** The port listened on (the free one chosen when asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The folder served. */
    public Path folder() {
        return store.root();
    }

    /**
     * Shows {@code run}, which trains in this process under the served folder, from memory as it
     * trains: returns the listener to train it with, which records each iteration and passes every
     * call on to {@code inner}.
     */
    public RunListener live(TrainingRun run, RunListener inner) {
        LiveRun l = new LiveRun(requireNonNull(inner, "inner is null"));
        store.attach(run.folder(), l);
        return l;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping a server that is going away anyway: nothing useful to report.
        }
    }

    /** The whole site: a few fixed paths, nothing else. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            HostGuard g = guard;
            if (g == null || !g.hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
                return send(
                        response,
                        callback,
                        HttpStatus.MISDIRECTED_REQUEST_421,
                        "text/plain",
                        "this dashboard answers only to the addresses it listens on and to localhost\n",
                        method);
            }
            if (!g.originAllowed(
                    request.getHeaders().get(HttpHeader.ORIGIN),
                    request.getHeaders().get("Sec-Fetch-Site"),
                    request.getHeaders().get("Sec-Fetch-Mode"))) {
                return send(
                        response,
                        callback,
                        HttpStatus.FORBIDDEN_403,
                        "text/plain",
                        "this dashboard answers only its own page, not other sites' pages\n",
                        method);
            }
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                return send(
                        response,
                        callback,
                        HttpStatus.METHOD_NOT_ALLOWED_405,
                        "text/plain",
                        "read-only: GET and HEAD only\n",
                        method);
            }
            String path = Request.getPathInContext(request);
            try {
                String resource = STATIC.get(path);
                if (resource != null) {
                    return resource(response, callback, resource, method);
                }
                Fields q = Request.extractQueryParameters(request);
                if (path.equals("/api/runs")) {
                    return json(response, callback, runs(q.getValue("by")), method);
                }
                if (path.equals("/api/group")) {
                    List<Path> dirs = new ArrayList<>();
                    for (String id : q.getValuesOrEmpty("id")) {
                        Path dir = store.resolve(id);
                        if (dir == null) {
                            return send(
                                    response,
                                    callback,
                                    HttpStatus.NOT_FOUND_404,
                                    "text/plain",
                                    "no such run in this folder\n",
                                    method);
                        }
                        dirs.add(dir);
                    }
                    return json(response, callback, store.groupMean(dirs), method);
                }
                if (path.equals("/api/run")) {
                    Path dir = store.resolve(q.getValue("id"));
                    if (dir == null) {
                        return send(
                                response,
                                callback,
                                HttpStatus.NOT_FOUND_404,
                                "text/plain",
                                "no such run in this folder\n",
                                method);
                    }
                    long since = 0;
                    try {
                        since = Math.max(0, Long.parseLong(q.getValue("since") == null ? "0" : q.getValue("since")));
                    } catch (NumberFormatException e) {
                        return send(
                                response,
                                callback,
                                HttpStatus.BAD_REQUEST_400,
                                "text/plain",
                                "since must be an iteration\n",
                                method);
                    }
                    Map<String, Object> data;
                    try {
                        data = store.data(dir, since);
                    } catch (RuntimeException e) {
                        // One broken run is listed as unreadable; the page goes on drawing the others.
                        return send(
                                response,
                                callback,
                                HttpStatus.UNPROCESSABLE_ENTITY_422,
                                "text/plain",
                                "this run cannot be read: " + e.getMessage() + "\n",
                                method);
                    }
                    return json(response, callback, data, method);
                }
                if (path.startsWith("/runs/")) {
                    return runFile(response, callback, path.substring("/runs/".length()), method);
                }
                return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "not found\n", method);
            } catch (RuntimeException | IOException e) {
                return send(
                        response,
                        callback,
                        HttpStatus.INTERNAL_SERVER_ERROR_500,
                        "text/plain",
                        "cannot read the run: " + e.getMessage() + "\n",
                        method);
            }
        }

        /**
         * The run list: every run's line, the settings that differ between runs, and, when
         * {@code by} names settings (comma-separated), the runs grouped by their values.
         */
        private Map<String, Object> runs(String by) {
            List<RunIndex.Line> lines = store.lines();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", store.root().toString());
            m.put("poll_ms", POLL_MILLIS);
            List<String> varied = RunIndex.variedKeys(lines);
            Map<String, String> common = new java.util.TreeMap<>(
                    lines.isEmpty() ? Map.of() : lines.get(0).settings());
            common.keySet().removeAll(varied);
            m.put("runs", store.listing(lines, new java.util.HashSet<>(varied)));
            m.put("varied", varied);
            m.put("common", common);
            if (by != null && !by.isBlank()) {
                List<Map<String, Object>> groups = new ArrayList<>();
                RunGroups.group(lines, List.of(by.split(",")))
                        .forEach((label, members) -> groups.add(Map.of(
                                "label",
                                label,
                                "ids",
                                members.stream().map(RunIndex.Line::id).toList())));
                m.put("groups", groups);
            }
            return m;
        }

        /** /runs/RUN/report.html or analysis.html of a run under the folder; nothing else. */
        private boolean runFile(Response response, Callback callback, String rest, String method) throws IOException {
            int slash = rest.lastIndexOf('/');
            String name = slash < 0 ? rest : rest.substring(slash + 1);
            Path dir = slash < 0 ? null : store.resolve(rest.substring(0, slash));
            if (dir == null || !RunStore.SERVED_FILES.contains(name)) {
                return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "not found\n", method);
            }
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return send(
                        response,
                        callback,
                        HttpStatus.NOT_FOUND_404,
                        "text/plain",
                        "this run has no " + name + " yet\n",
                        method);
            }
            return bytes(
                    response,
                    callback,
                    HttpStatus.OK_200,
                    "text/html; charset=utf-8",
                    Files.readAllBytes(file),
                    method);
        }

        private boolean resource(Response response, Callback callback, String name, String method) throws IOException {
            try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
                if (in == null) {
                    return send(
                            response,
                            callback,
                            HttpStatus.NOT_FOUND_404,
                            "text/plain",
                            "missing from the build: " + name + "\n",
                            method);
                }
                String type = name.endsWith(".js")
                        ? "text/javascript; charset=utf-8"
                        : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
                return bytes(response, callback, HttpStatus.OK_200, type, in.readAllBytes(), method);
            }
        }

        private boolean json(Response response, Callback callback, Object value, String method) throws IOException {
            return bytes(
                    response,
                    callback,
                    HttpStatus.OK_200,
                    "application/json",
                    COMPACT.writeValueAsBytes(value),
                    method);
        }

        private boolean send(
                Response response, Callback callback, int status, String type, String text, String method) {
            return bytes(
                    response,
                    callback,
                    status,
                    type + "; charset=utf-8",
                    text.getBytes(StandardCharsets.UTF_8),
                    method);
        }

        private boolean bytes(
                Response response, Callback callback, int status, String type, byte[] body, String method) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, HttpMethod.HEAD.is(method) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
