package org.bptt.training.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.Enumeration;

/**
 * The class loader of one outside plugin, after Trino's and Elasticsearch's: the platform's API
 * ({@code org.bptt.api.*}) and the JDK come from the platform, everything else only from the
 * plugin's own jars. Two plugins may so carry different versions of one library, and a plugin
 * never sees the platform's own dependencies (Guice, Jackson, …).
 */
final class PluginClassLoader extends URLClassLoader {
    private static final String API_PREFIX = "org.bptt.api.";
    private static final String API_RESOURCE_PREFIX = "org/bptt/api/";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader api;

    PluginClassLoader(String name, URL[] jars, ClassLoader api) {
        // The JDK (java.*, javax.*, jdk.*) through the platform loader; the plugin's classes from its jars.
        super(name, jars, ClassLoader.getPlatformClassLoader());
        this.api = api;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PREFIX)) {
            return api.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = getParent().loadClass(name);
                } catch (ClassNotFoundException e) {
                    c = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /**
     * Defines a plugin class from its jar, with its calls that would end the JVM rewritten to
     * throw ({@link ExitCalls}); the trap they call is defined here too, from the platform's copy.
     */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/') + ".class";
        boolean trap = path.equals(ExitCalls.TRAP + ".class");
        URL url = trap ? PluginClassLoader.class.getResource("/" + path) : findResource(path);
        if (url == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " cannot be read from " + url, e);
        }
        if (!trap && !ExitCalls.mayExit(bytes)) {
            return super.findClass(name);
        }
        byte[] defined = trap ? bytes : ExitCalls.rewrite(bytes);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(name.substring(0, dot)) == null) {
            try {
                definePackage(name.substring(0, dot), null, null, null, null, null, null, null);
            } catch (IllegalArgumentException e) {
                // Defined meanwhile by another thread.
            }
        }
        return defineClass(
                name, defined, 0, defined.length, new CodeSource(trap ? null : jarOf(url), (CodeSigner[]) null));
    }

    /** The jar a class's URL ({@code jar:file:/…/p.jar!/a/B.class}) comes from, for its code source. */
    private static URL jarOf(URL url) {
        try {
            return url.getProtocol().equals("jar") ? ((JarURLConnection) url.openConnection()).getJarFileURL() : url;
        } catch (IOException | ClassCastException e) {
            return url;
        }
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith(API_RESOURCE_PREFIX)) {
            return api.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    /** Only the plugin's own resources: its META-INF/services files must not list the platform's providers. */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return findResources(name);
    }
}
