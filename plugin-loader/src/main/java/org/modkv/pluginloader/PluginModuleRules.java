package org.modkv.pluginloader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigException;

/**
 * The rules a plugin directory's modules must follow, checked from their module descriptors
 * (and manifests) before any class of theirs is loaded: a provider module records a compatible
 * API version, no module requires a kernel module, and no module shadows one the kernel has
 * loaded from {@code lib/}. See docs/design/plugin-platform.md.
 */
public final class PluginModuleRules {
    /** The manifest attribute a plugin without a module descriptor uses to record its API version. */
    public static final String MANIFEST_API_VERSION = "Modkv-Api-Version";
    static final String API_MODULE = "org.modkv.api";
    /**
     * The kernel: the node and the command line. A plugin talks to them through the API only; the
     * libraries in lib/ (client, protocol, Netty, ...) it may read.
     */
    static final Set<String> KERNEL_MODULES = Set.of("org.modkv.node", "org.modkv.distribution");
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)(?:[.\\-+].*)?");

    private PluginModuleRules() {
    }

    /**
     * The API version {@code module} was built against: the compiled version of its
     * {@code requires org.modkv.api}, else its manifest's {@value #MANIFEST_API_VERSION}.
     */
    public static Optional<String> recordedApiVersion(ModuleReference module) {
        Optional<String> compiled = module.descriptor().requires().stream()
                .filter(r -> r.name().equals(API_MODULE))
                .findFirst()
                .flatMap(ModuleDescriptor.Requires::rawCompiledVersion);
        return compiled.isPresent() ? compiled : manifestApiVersion(module);
    }

    /**
     * Whether a plugin built against API {@code recorded} runs on this node: the same major and
     * the same or an older minor.
     */
    public static boolean compatible(String recorded) {
        Matcher m = MAJOR_MINOR.matcher(recorded);
        if (!m.matches()) {
            return false;
        }
        try {
            return Integer.parseInt(m.group(1)) == ApiVersion.MAJOR && Integer.parseInt(m.group(2)) <= ApiVersion.MINOR;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Refuses a provider module whose recorded API version is missing or incompatible.
     *
     * @throws ConfigException naming the module, its jar, its API version and the node's
     */
    static String checkApiVersion(ModuleReference module) {
        String name = module.descriptor().name();
        String jar = jarOf(module);
        Optional<String> recorded = recordedApiVersion(module);
        if (recorded.isEmpty()) {
            throw new ConfigException("plugin module " + name + " (" + jar + ") records no modkv API version; "
                    + "a plugin must be a named module that requires org.modkv.api (javac records the version "
                    + "of the api jar it was compiled against) or carry '" + MANIFEST_API_VERSION
                    + ": MAJOR.MINOR' in its manifest; this node provides API " + ApiVersion.text());
        }
        if (!compatible(recorded.get())) {
            throw new ConfigException("plugin module " + name + " (" + jar + ") was built against modkv API "
                    + recorded.get() + ", but this node provides API " + ApiVersion.text()
                    + "; a node loads plugins built against API " + ApiVersion.MAJOR + ".0 to " + ApiVersion.text()
                    + " only: rebuild the plugin against this release's api or remove it");
        }
        return recorded.get();
    }

    /**
     * Refuses a module of a plugin directory that requires a kernel module ({@link #KERNEL_MODULES},
     * unless the directory itself holds one of that name, {@code ownModules}, which the lib/ rule
     * then refuses), or that is itself a module the kernel already has ({@code kernelHas}: a
     * library lib/ holds).
     */
    static void checkIsolation(ModuleReference module, Set<String> ownModules, Predicate<String> kernelHas) {
        ModuleDescriptor descriptor = module.descriptor();
        String jar = jarOf(module);
        for (ModuleDescriptor.Requires requires : descriptor.requires()) {
            String required = requires.name();
            if (KERNEL_MODULES.contains(required) && !ownModules.contains(required)) {
                throw new ConfigException(jar + " (module " + descriptor.name() + ") requires the kernel module "
                        + required + "; a plugin may require only org.modkv.api, the JDK, the libraries in lib/ "
                        + "and the jars in its own directory, never " + String.join(" or ", KERNEL_MODULES.stream()
                        .sorted().toList()));
            }
        }
        if (kernelHas.test(descriptor.name())) {
            throw new ConfigException(jar + " holds module " + descriptor.name() + ", which the kernel already "
                    + "loads from lib/; a plugin directory must not carry a library lib/ holds (remove the jar: "
                    + "the plugin reads the kernel's copy)");
        }
    }

    /** Whether {@code descriptor} provides a modkv service (a library may provide others, e.g. Lucene's codecs). */
    static boolean providesModkvService(ModuleDescriptor descriptor) {
        return descriptor.provides().stream().anyMatch(p -> p.service().startsWith(API_MODULE + "."));
    }

    static String jarOf(ModuleReference module) {
        return module.location().map(URI::toString).orElse(module.descriptor().name());
    }

    private static Optional<String> manifestApiVersion(ModuleReference module) {
        try (ModuleReader reader = module.open()) {
            Optional<InputStream> in = reader.open("META-INF/MANIFEST.MF");
            if (in.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream stream = in.get()) {
                String value = new Manifest(stream).getMainAttributes().getValue(MANIFEST_API_VERSION);
                return Optional.ofNullable(value).map(String::trim);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the manifest of " + jarOf(module) + ": " + e.getMessage());
        }
    }
}
