package org.bptt.training.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
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
