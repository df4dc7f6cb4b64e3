package org.bptt.dashboard;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the dashboard: a request must name, in its {@code Host} header, an address
 * the server listens on (or {@code localhost}), and must not come from another site's page.
 * This stops DNS rebinding (a page of {@code attacker.example} whose name now points at
 * 127.0.0.1 sends {@code Host: attacker.example}) and other sites' scripts reading the runs.
 */
final class HostGuard {
    private final Set<String> names;
    private final int port;
    private final boolean loopbackOnly;
    private final List<URI> addresses;

    private HostGuard(Set<String> names, int port, boolean loopbackOnly, List<URI> addresses) {
        this.names = names;
        this.port = port;
        this.loopbackOnly = loopbackOnly;
        this.addresses = addresses;
    }

    /** For a server bound to {@code bound} (as resolved) under the name {@code given}, on {@code port}. */
    static HostGuard of(String given, InetAddress bound, int port) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        List<InetAddress> listening = new ArrayList<>();
        if (bound.isAnyLocalAddress()) {
            listening.addAll(interfaceAddresses());
            try {
                names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
            } catch (IOException e) {
                // A machine without a resolvable name of its own: its addresses still answer.
            }
        } else {
            listening.add(bound);
        }
        names.add(given.toLowerCase(Locale.ROOT));
        List<URI> uris = new ArrayList<>();
        boolean loopback = true;
        for (InetAddress a : listening) {
            String literal = literal(a);
            names.add(literal);
            loopback &= a.isLoopbackAddress();
            if (!(a instanceof Inet6Address i6 && i6.isLinkLocalAddress())) {
                uris.add(URI.create("http://" + literal + ":" + port + "/"));
            }
        }
        return new HostGuard(Collections.unmodifiableSet(names), port, loopback, List.copyOf(uris));
    }

    private static String literal(InetAddress a) {
        String h = a.getHostAddress();
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        return (a instanceof Inet6Address ? "[" + h + "]" : h).toLowerCase(Locale.ROOT);
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (n.isUp()) {
                    all.addAll(Collections.list(n.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // No interfaces to list: the loopback names above still answer.
        }
        return all;
    }

    /** Whether every address listened on is this machine's loopback. */
    boolean loopbackOnly() {
        return loopbackOnly;
    }

    /** The page's address on each interface listened on (link-local IPv6 left out: a browser cannot use it without a zone). */
    List<URI> addresses() {
        return addresses;
    }

    /** Whether a {@code Host} header (null when the request had none, as HTTP/1.0 allows) names this server. */
    boolean hostAllowed(String host) {
        if (host == null) {
            return true;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name = h;
        String p = null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(0, end + 1);
            String rest = h.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return false;
                }
                p = rest.substring(1);
            }
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0) {
                name = h.substring(0, colon);
                p = h.substring(colon + 1);
            }
        }
        if (name.endsWith(".") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        if (p != null && !p.equals(Integer.toString(port))) {
            return false;
        }
        return names.contains(name);
    }

    /**
     * Whether a request's origin is this server: an {@code Origin} header, when present, must be
     * {@code http://} and a name this server answers to on its port; a browser's
     * {@code Sec-Fetch-Site} other than same-origin (or none: typed in) is refused except when a
     * person follows a link to a page.
     */
    boolean originAllowed(String origin, String fetchSite, String fetchMode) {
        if (origin != null) {
            URI u;
            try {
                u = URI.create(origin.trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!"http".equalsIgnoreCase(u.getScheme())
                    || u.getRawAuthority() == null
                    || u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                return false;
            }
            String authority = u.getRawAuthority();
            if (u.getPort() < 0) {
                authority = authority + ":80";
            }
            if (!hostAllowed(authority)) {
                return false;
            }
        }
        return fetchSite == null
                || "same-origin".equalsIgnoreCase(fetchSite)
                || "none".equalsIgnoreCase(fetchSite)
                || "navigate".equalsIgnoreCase(fetchMode);
    }
}
