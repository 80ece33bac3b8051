package org.modkv.pluginloader;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.lang.LayerInstantiationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.modkv.api.ApiVersion;
import org.modkv.api.Plugin;
import org.modkv.api.config.ConfigException;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.replication.ReplicationProvider;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.transport.TransportProvider;

/**
 * Finds plugins with {@link ServiceLoader}: on the boot layer (the module path, which also
 * holds the built-in {@code standalone}) and in plugin directories. Each plugin directory
 * becomes its own {@link ModuleLayer}, child of the boot layer, so a plugin sees the SPI, the
 * JDK and lib/'s libraries plus its own jars, and two plugins may carry different versions of a
 * library lib/ does not hold. A jar holding {@code org.modkv.api} in a plugin directory is
 * ignored: the SPI must come from the kernel so that types match. A jar without packages
 * (native libraries, found as resources) is loaded with its plugin too.
 *
 * <p>Before a layer is defined, {@link PluginModuleRules} checks each module's descriptor:
 * the API version a provider was built against, no kernel module required, no lib/ module
 * carried again. So an incompatible plugin is refused by name before any of its classes load.
 * See docs/design/plugin-platform.md.
 */
public final class PluginLoader {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    private static final String API_MODULE = PluginModuleRules.API_MODULE;
    private static final List<Class<? extends Plugin>> KINDS = List.of(
            StorageProvider.class, ReplicationProvider.class, IndexProvider.class, TransportProvider.class);

    private PluginLoader() {
    }

    /**
     * Loads every provider: {@code embedded} instances (given by code that embeds a node), the
     * module path, and each plugin directory.
     *
     * @throws ConfigException if a plugin directory cannot be loaded, a plugin was built for
     *     another API version, or two plugins of one kind share a name (naming both)
     */
    public static List<LoadedPlugin> load(List<Path> pluginDirs, List<? extends Plugin> embedded) {
        List<LoadedPlugin> found = new ArrayList<>();
        for (Plugin plugin : embedded) {
            found.add(describe(plugin, plugin.getClass(), String.valueOf(plugin.apiVersion()), "embedded"));
        }
        for (Class<? extends Plugin> kind : KINDS) {
            ServiceLoader.load(kind, PluginLoader.class.getClassLoader()).stream().forEach(provider -> {
                // Checked before the provider is instantiated; a class-path provider (tests)
                // has no descriptor and is checked by apiVersion() below.
                Optional<String> recorded = bootReference(provider.type().getModule())
                        .map(PluginModuleRules::checkApiVersion);
                Plugin plugin = provider.get();
                found.add(describe(plugin, provider.type(),
                        recorded.orElse(String.valueOf(plugin.apiVersion())), "module path"));
            });
        }
        ModuleLayer parent = kernelLayer();
        for (Path pluginDir : pluginDirectories(pluginDirs)) {
            found.addAll(loadLayer(pluginDir, parent, name -> parent.findModule(name).isPresent()));
        }
        checkVersions(found);
        checkUniqueNames(found);
        found.sort(Comparator.comparing((LoadedPlugin p) -> p.plugin().kind()).thenComparing(p -> p.plugin().name()));
        return List.copyOf(found);
    }

    /**
     * Loads one plugin directory as the node does, for a plugin author's test (testkit's
     * PluginDirectoryLoader): the same layer, rules and checks, except that the kernel's lib/ is
     * taken to hold only the API (and the JDK), since the test's own module path is not a
     * distribution's. Only the providers of the directory are returned.
     *
     * @throws ConfigException as {@link #load} does
     */
    public static List<LoadedPlugin> loadDirectory(Path pluginDir) {
        List<LoadedPlugin> found = new ArrayList<>(loadLayer(pluginDir, kernelLayer(),
                name -> name.equals(API_MODULE) || ModuleFinder.ofSystem().find(name).isPresent()));
        checkVersions(found);
        checkUniqueNames(found);
        return List.copyOf(found);
    }

    private static List<LoadedPlugin> loadLayer(Path pluginDir, ModuleLayer parent, Predicate<String> kernelHas) {
        List<LoadedPlugin> found = new ArrayList<>();
        PluginLayer layer = layerFor(pluginDir, parent, kernelHas);
        for (Class<? extends Plugin> kind : KINDS) {
            ServiceLoader.load(layer.layer(), kind).stream()
                    .filter(provider -> provider.type().getModule().getLayer() == layer.layer())
                    .forEach(provider -> found.add(describe(provider.get(), provider.type(),
                            layer.apiVersions().get(provider.type().getModule().getName()), pluginDir.toString())));
        }
        return found;
    }

    private static ModuleLayer kernelLayer() {
        ModuleLayer parent = PluginLoader.class.getModule().getLayer();
        return parent == null ? ModuleLayer.boot() : parent;
    }

    /**
     * The plugin directories that {@code dirs} name: a directory that holds jars is one plugin
     * directory; any other directory holds plugin directories, one per subdirectory. A directory
     * that does not exist is skipped (a default such as {@code <home>/plugins} may be absent).
     */
    public static List<Path> pluginDirectories(List<Path> dirs) {
        List<Path> result = new ArrayList<>();
        for (Path dir : dirs) {
            if (holdsJars(dir)) {
                result.add(dir);
            } else {
                result.addAll(subdirectories(dir));
            }
        }
        return result;
    }

    private static boolean holdsJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new ConfigException("cannot list plugin directory " + dir + ": " + e.getMessage());
        }
    }

    private static Optional<ModuleReference> bootReference(Module module) {
        if (!module.isNamed() || module.getLayer() == null) {
            return Optional.empty();
        }
        return module.getLayer().configuration().findModule(module.getName())
                .map(java.lang.module.ResolvedModule::reference)
                .filter(ref -> PluginModuleRules.recordedApiVersion(ref).isPresent());
    }

    private static List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list plugin directory " + dir + ": " + e.getMessage());
        }
    }

    private static PluginLayer layerFor(Path pluginDir, ModuleLayer parent, Predicate<String> kernelHas) {
        ModuleFinder all = ModuleFinder.of(pluginDir);
        Set<ModuleReference> modules;
        try {
            modules = all.findAll();
        } catch (FindException e) {
            throw new ConfigException("cannot load plugin directory " + pluginDir + ": " + e.getMessage());
        }
        Set<String> roots = new LinkedHashSet<>();
        Map<String, String> apiVersions = new HashMap<>();
        Set<String> ownModules = modules.stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
        for (ModuleReference ref : modules) {
            String name = ref.descriptor().name();
            if (name.equals(API_MODULE)) {
                LOG.log(System.Logger.Level.WARNING, "ignoring {0} in {1}: plugins use the kernel's SPI",
                        ref.location().map(URI::toString).orElse(name), pluginDir);
                continue;
            }
            PluginModuleRules.checkIsolation(ref, ownModules, kernelHas);
            if (PluginModuleRules.providesModkvService(ref.descriptor())) {
                apiVersions.put(name, PluginModuleRules.checkApiVersion(ref));
            }
            if (!ref.descriptor().provides().isEmpty() || ref.descriptor().packages().isEmpty()) {
                // Providers, and jars of resources only (Netty's native libraries): no module
                // requires those by name, so they would not be resolved otherwise.
                roots.add(name);
            }
        }
        if (roots.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "plugin directory {0} holds no module that provides a service", pluginDir);
        }
        ModuleFinder withoutApi = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(API_MODULE) ? Optional.empty() : all.find(name);
            }

            @Override
            public Set<ModuleReference> findAll() {
                return modules.stream().filter(m -> !m.descriptor().name().equals(API_MODULE))
                        .collect(Collectors.toSet());
            }
        };
        try {
            Configuration configuration = parent.configuration().resolve(withoutApi, ModuleFinder.of(), roots);
            return new PluginLayer(parent.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader()),
                    apiVersions);
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new ConfigException("cannot load the plugin in " + pluginDir + ": " + e.getMessage()
                    + " (a plugin directory must hold the plugin jar and every jar it needs except org.modkv.api)");
        }
    }

    /** A plugin directory's layer and the API version each of its provider modules records. */
    private record PluginLayer(ModuleLayer layer, Map<String, String> apiVersions) {
    }

    private static LoadedPlugin describe(Plugin plugin, Class<?> type, String apiVersion, String directory) {
        Module module = type.getModule();
        String moduleName = module.isNamed() ? module.getName() : "unnamed module";
        String location = Optional.ofNullable(module.getLayer())
                .flatMap(layer -> layer.configuration().findModule(moduleName))
                .flatMap(resolved -> resolved.reference().location())
                .map(URI::toString)
                .orElseGet(() -> Optional.ofNullable(type.getProtectionDomain().getCodeSource())
                        .map(source -> source.getLocation().toString()).orElse("unknown location"));
        String version = Optional.ofNullable(module.getDescriptor()).flatMap(ModuleDescriptor::rawVersion).orElse("");
        return new LoadedPlugin(plugin, moduleName, location, version, apiVersion, directory);
    }

    private static void checkVersions(List<LoadedPlugin> found) {
        for (LoadedPlugin loaded : found) {
            int version = loaded.plugin().apiVersion();
            if (version != ApiVersion.MAJOR) {
                throw new ConfigException(loaded.plugin().kind().label() + " plugin '" + loaded.plugin().name()
                        + "' from " + loaded.describe() + " was built for modkv API version " + version
                        + ", but this node provides version " + ApiVersion.text()
                        + "; rebuild the plugin against this release or remove it");
            }
        }
    }

    private static void checkUniqueNames(List<LoadedPlugin> found) {
        for (int i = 0; i < found.size(); i++) {
            for (int j = i + 1; j < found.size(); j++) {
                Plugin a = found.get(i).plugin();
                Plugin b = found.get(j).plugin();
                if (a.kind() == b.kind() && a.name().equals(b.name())) {
                    throw new ConfigException("two " + a.kind().label() + " plugins are named '" + a.name()
                            + "': " + found.get(i).describe() + " and " + found.get(j).describe()
                            + "; remove one of them");
                }
            }
        }
    }
}
