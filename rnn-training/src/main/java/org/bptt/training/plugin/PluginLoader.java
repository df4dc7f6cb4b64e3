package org.bptt.training.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;

/**
 * Builds {@link Plugins}: the providers ServiceLoader finds on the platform's own class path or
 * module path, then those of each outside plugin of the plugin path.
 *
 * <p>The plugin path is a list of entries. A jar is one plugin. A folder is a folder of
 * plugins: each jar directly in it is one plugin, and each sub-folder holding jars is one plugin
 * made of all of them (a plugin with its own dependencies). Every plugin gets its own
 * {@link PluginClassLoader}. A jar that cannot be read, a provider that cannot be loaded, a
 * plugin built for an incompatible API, a plugin that provides nothing, and two plugins of one
 * family with one name are each refused with one sentence naming the jar.
 */
final class PluginLoader {
    static final String LOADER_PREFIX = "plugin:";
    /** Loaders' names to their plugins, so a failure deep in a training step can name its plugin. */
    private static final Map<String, PluginOrigin> LOADED = new ConcurrentHashMap<>();

    private PluginLoader() {}

    static PluginOrigin originOfLoader(String loaderName) {
        return loaderName == null || !loaderName.startsWith(LOADER_PREFIX) ? null : LOADED.get(loaderName);
    }

    static Plugins load(List<Path> pluginPath) {
        Map<PluginFamily, Map<String, PluginFactory<?>>> byFamily = new EnumMap<>(PluginFamily.class);
        Map<PluginFactory<?>, PluginOrigin> origins = new IdentityHashMap<>();
        ClassLoader platform = PluginLoader.class.getClassLoader();
        for (PluginFamily f : PluginFamily.values()) {
            for (PluginFactory<?> factory : ServiceLoader.load(f.type(), platform)) {
                register(byFamily, origins, f, factory, classPathOrigin(factory.getClass()));
            }
        }
        List<PluginOrigin> outside = new ArrayList<>();
        Map<String, PluginOrigin> seen = new HashMap<>();
        for (List<Path> jars : plugins(pluginPath)) {
            PluginOrigin origin = identify(jars);
            // One plugin reached twice (given with --plugins and bundled in the installation's plugins/, say):
            // the same name and version is the same plugin, loaded once. Another version of it stays refused.
            if (!origin.version().equals("unknown")
                    && seen.putIfAbsent(origin.id() + "@" + origin.version(), origin) != null) {
                continue;
            }
            outside.add(loadOne(origin, byFamily, origins));
        }
        return new Plugins(byFamily, origins, outside);
    }

    /** The plugin path's plugins, each as its list of jars, in path order. */
    static List<List<Path>> plugins(List<Path> pluginPath) {
        List<List<Path>> plugins = new ArrayList<>();
        for (Path entry : pluginPath) {
            if (Files.isRegularFile(entry)) {
                if (!entry.getFileName().toString().endsWith(".jar")) {
                    throw new ConfigurationException(
                            "plugin path entry " + entry + " is neither a .jar file nor a folder");
                }
                plugins.add(List.of(entry));
            } else if (Files.isDirectory(entry)) {
                int before = plugins.size();
                for (Path child : list(entry)) {
                    if (Files.isRegularFile(child)
                            && child.getFileName().toString().endsWith(".jar")) {
                        plugins.add(List.of(child));
                    } else if (Files.isDirectory(child)) {
                        List<Path> jars = list(child).stream()
                                .filter(p -> Files.isRegularFile(p)
                                        && p.getFileName().toString().endsWith(".jar"))
                                .toList();
                        if (!jars.isEmpty()) {
                            plugins.add(jars);
                        }
                    }
                }
                if (plugins.size() == before) {
                    throw new ConfigurationException(
                            "plugin folder " + entry + " holds no plugin: no .jar file in it or in "
                                    + "a sub-folder of it (was the plugin built?)");
                }
            } else {
                throw new ConfigurationException("plugin path entry " + entry + " does not exist");
            }
        }
        return plugins;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException("plugin folder " + dir + " cannot be read (" + e.getMessage() + ")");
        }
    }

    /** A jar's name without its version suffix (gated-cells-0.1.0 of version 0.1.0: gated-cells), shown apart from it. */
    private static String withoutVersion(String id, String version) {
        return id.endsWith("-" + version) ? id.substring(0, id.length() - version.length() - 1) : id;
    }

    /** A plugin's name (its jar's or folder's, without the version) and version, before anything of it loads. */
    private static PluginOrigin identify(List<Path> jars) {
        Path first = jars.get(0);
        String id = jars.size() == 1
                ? stripJar(first.getFileName().toString())
                : first.getParent().getFileName().toString();
        String version = "unknown";
        for (Path jar : jars) {
            String v = readVersion(jar); // every jar: one that cannot be read is refused here, by name
            if (version.equals("unknown") && v != null && providesServices(jar)) {
                version = v;
            }
        }
        if (version.equals("unknown")) {
            for (Path jar : jars) {
                String v = readVersion(jar);
                if (v != null) {
                    version = v;
                    break;
                }
            }
        }
        if (jars.size() == 1) {
            id = withoutVersion(id, version);
        }
        return new PluginOrigin(id, version, jars, true);
    }

    private static PluginOrigin loadOne(
            PluginOrigin origin,
            Map<PluginFamily, Map<String, PluginFactory<?>>> byFamily,
            Map<PluginFactory<?>, PluginOrigin> origins) {
        List<Path> jars = origin.files();
        Path first = jars.get(0);
        String id = origin.id();
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new ConfigurationException(
                        "plugin " + jars.get(i) + " has a path that cannot be loaded (" + e.getMessage() + ")");
            }
        }
        String loaderName = LOADER_PREFIX + id + "@" + Integer.toHexString(System.identityHashCode(origin));
        PluginClassLoader loader = new PluginClassLoader(loaderName, urls, PluginFactory.class.getClassLoader());
        LOADED.put(loaderName, origin);
        String where = jars.size() == 1 ? first.toString() : first.getParent().toString();
        int found = 0;
        for (PluginFamily f : PluginFamily.values()) {
            try {
                for (ServiceLoader.Provider<? extends PluginFactory<?>> p :
                        ServiceLoader.load(f.type(), loader).stream().toList()) {
                    if (p.type().getClassLoader() != loader) {
                        continue; // the platform's own provider, seen through the module layer
                    }
                    PluginFactory<?> factory = p.get();
                    // Touch what listings read now, so an incompatible plugin fails here, by name.
                    String name = factory.name();
                    if (name == null || name.isBlank()) {
                        throw new ConfigurationException("plugin " + where + " has a " + f.singular() + " ("
                                + factory.getClass().getName() + ") whose name() is "
                                + (name == null ? "null" : "blank")
                                + "; every plugin needs a short lower-case name");
                    }
                    factory.description();
                    factory.parameters();
                    register(byFamily, origins, f, factory, origin);
                    found++;
                }
            } catch (ServiceConfigurationError e) {
                Throwable c = e.getCause();
                if (c instanceof LinkageError le) {
                    throw incompatible(where, le);
                }
                throw new ConfigurationException("plugin " + where + " cannot be loaded: " + oneLine(e.getMessage())
                        + (c != null && c != e ? " (" + oneLine(String.valueOf(c)) + ")" : ""));
            } catch (LinkageError e) {
                throw incompatible(where, e);
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigurationException(
                        "plugin " + where + " failed while loading: " + oneLine(String.valueOf(e)));
            }
        }
        if (found == 0) {
            throw new ConfigurationException(
                    "plugin " + where + " provides no rnn plugin (no META-INF/services entry for "
                            + "an rnn-api plugin family); a plugin's own dependencies go in a sub-folder together with it");
        }
        return origin;
    }

    private static ConfigurationException incompatible(String where, LinkageError e) {
        if (e instanceof ExceptionInInitializerError i && i.getCause() != null) {
            // The plugin's own code failed as its class was set up: a bug of the plugin, not of its build.
            return new ConfigurationException("plugin " + where + " failed in a static initializer ("
                    + oneLine(String.valueOf(i.getCause())) + "); the plugin's own code has a bug");
        }
        return new ConfigurationException("plugin " + where + " " + linkageWords(e, oneLine(String.valueOf(e))));
    }

    /**
     * What a linkage error says about a plugin's jar, after "plugin X ": only a class of rnn-api that
     * is missing or changed means a build against another rnn-api; a class of the plugin's own that
     * cannot be read means a damaged jar or a library missing beside it; bytecode for a newer Java
     * says so. {@code detail} is the error as the message shows it.
     */
    static String linkageWords(LinkageError e, String detail) {
        if (e instanceof UnsupportedClassVersionError) {
            return "was compiled for a newer Java than this one (" + detail + "); rebuild it for Java 21, or run rnn "
                    + "on that Java";
        }
        if (e instanceof ClassFormatError) {
            return "holds a class that is not valid bytecode (" + detail + "); the jar is damaged: install it again";
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        boolean api = m.contains("org.bptt.api.") || m.contains("org/bptt/api/");
        if (!api && e instanceof NoClassDefFoundError && !m.isEmpty()) {
            return "cannot load its class " + m.replace('/', '.') + " (" + detail + "): the jar is damaged, or a "
                    + "library it needs is missing from its folder";
        }
        if (!api && e instanceof IncompatibleClassChangeError) {
            return "cannot link its own code (" + detail + "): the jar is damaged, or it was built against other "
                    + "versions of the libraries beside it";
        }
        return "was built for an incompatible rnn-api (" + detail + "); rebuild it against this version of rnn-api";
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 297) + "…" : t;
    }

    private static void register(
            Map<PluginFamily, Map<String, PluginFactory<?>>> byFamily,
            Map<PluginFactory<?>, PluginOrigin> origins,
            PluginFamily f,
            PluginFactory<?> factory,
            PluginOrigin origin) {
        String name = factory.name();
        Map<String, PluginFactory<?>> m = byFamily.computeIfAbsent(f, k -> new LinkedHashMap<>());
        PluginFactory<?> other = m.get(name);
        if (other != null) {
            if (other.getClass() == factory.getClass()) {
                return; // one class found twice (a jar on the class path and in a module, say)
            }
            throw new ConfigurationException("two " + f.plural() + " are named '" + name + "': one from "
                    + origins.get(other).describe() + ", one from " + origin.describe() + "; remove one of them");
        }
        m.put(name, factory);
        origins.put(factory, origin);
    }

    /** A factory found on the platform's own path: named by its module, or its jar or folder. */
    static PluginOrigin classPathOrigin(Class<?> c) {
        String version = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        Path where = null;
        try {
            where = cs == null || cs.getLocation() == null
                    ? null
                    : Path.of(cs.getLocation().toURI());
        } catch (Exception e) {
            // An exotic code source: no file to name.
        }
        if (version == null && where != null && Files.isRegularFile(where)) {
            version = readVersion(where);
        }
        String id = c.getModule().isNamed()
                ? c.getModule().getName()
                : where == null ? "unknown" : stripJar(where.getFileName().toString());
        if (where != null
                && Files.isDirectory(where)
                && where.getParent() != null
                && where.getParent().getParent() != null
                && where.getFileName().toString().equals("classes")
                && where.getParent().getFileName().toString().equals("target")) {
            id = where.getParent().getParent().getFileName().toString(); // a module's build output: name the module
        }
        return new PluginOrigin(
                version == null ? id : withoutVersion(id, version),
                version == null ? "unknown" : version,
                List.of(),
                false);
    }

    private static String stripJar(String file) {
        return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }

    private static boolean providesServices(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().anyMatch(e -> e.getName().startsWith("META-INF/services/org.bptt.api."));
        } catch (IOException e) {
            return false;
        }
    }

    /** The jar's version: Maven's pom.properties when it holds exactly one, else the manifest's. */
    static String readVersion(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            List<JarEntry> poms = j.stream()
                    .filter(e -> e.getName().startsWith("META-INF/maven/")
                            && e.getName().endsWith("/pom.properties"))
                    .toList();
            if (poms.size() == 1) {
                Properties p = new Properties();
                try (InputStream in = j.getInputStream(poms.get(0))) {
                    p.load(in);
                }
                if (p.getProperty("version") != null) {
                    return p.getProperty("version");
                }
            }
            if (j.getManifest() != null) {
                return j.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            }
            return null;
        } catch (IOException e) {
            throw new ConfigurationException(
                    "plugin " + jar + " is not a readable jar file (" + oneLine(e.getMessage()) + ")");
        }
    }
}
