package org.modkv.distribution;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module rules of docs/design/modules.md, checked on the compiled classes: the api, the node, the
 * client and every plugin this distribution ships (plugins are test-scope dependencies, so
 * their jars are on the test path).
 */
class ArchitectureTest {
    /** Where plugins live: org.modkv.<kind>.<name>.. is one plugin. */
    private static final List<String> PLUGIN_KINDS = List.of("storage", "replication", "index", "transport");

    /**
     * The third-party packages each plugin may use besides the JDK and the api (the "may depend
     * on" column of docs/design/modules.md). A new plugin adds one row.
     */
    private static final Map<String, List<String>> PLUGIN_LIBRARIES = Map.of(
            "org.modkv.storage.wal", List.of("org.agrona.."),
            "org.modkv.storage.perkey", List.of(),
            "org.modkv.replication.raft", List.of("com.google.protobuf.."),
            "org.modkv.replication.quorum", List.of("com.google.protobuf.."),
            "org.modkv.index.fulltext", List.of("org.apache.lucene.."),
            "org.modkv.index.tfidf", List.of("org.apache.lucene.analysis.."),
            "org.modkv.transport.tcp", List.of("org.modkv.protocol..", "com.google.protobuf..", "io.netty.."),
            "org.modkv.transport.resp", List.of("io.netty.."));

    /**
     * modkv library modules: code that several plugins share, bundled into each of their plugin
     * directories like a third-party library (it is not in lib/, so the kernel cannot see it).
     * Root package to the third-party packages it may use besides the JDK and the api. A library
     * provides no service and depends on no plugin, nor on the kernel. A new library adds one row.
     */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "org.modkv.netty", List.of("io.netty.."));

    /** The plugins the distribution packages today; their classes must be found, or the rules prove nothing. */
    private static final List<String> SHIPPED_PLUGINS = List.of("org.modkv.storage.wal", "org.modkv.storage.perkey",
            "org.modkv.transport.tcp", "org.modkv.transport.resp", "org.modkv.replication.raft",
            "org.modkv.index.fulltext", "org.modkv.index.tfidf");

    private static JavaClasses modkv;
    private static Set<String> pluginRoots;

    @BeforeAll
    static void importClasses() {
        modkv = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.modkv");
        pluginRoots = new TreeSet<>();
        for (JavaClass type : modkv) {
            String[] parts = type.getPackageName().split("\\.");
            if (parts.length >= 4 && PLUGIN_KINDS.contains(parts[2]) && !type.getPackageName().startsWith("org.modkv.api")) {
                pluginRoots.add(String.join(".", parts[0], parts[1], parts[2], parts[3]));
            }
        }
    }

    @Test
    void importsTheClassesOfEveryShippedPlugin() {
        for (String plugin : SHIPPED_PLUGINS) {
            assertTrue(pluginRoots.contains(plugin), "no classes of " + plugin + " were imported; found plugins "
                    + pluginRoots + " (is the plugin a test-scope dependency of distribution?)");
        }
    }

    @Test
    void importsTheClassesOfEveryLibrary() {
        for (String library : LIBRARIES.keySet()) {
            assertFalse(classesOf(library).isEmpty(), "no classes of library " + library + " were imported (is it a "
                    + "dependency of a plugin that distribution packages?)");
        }
    }

    @Test
    void apiDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("org.modkv.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.modkv.api..")
                .check(modkv);
    }

    @Test
    void nodeKnowsNoPluginClientOrCli() {
        List<String> forbidden = new ArrayList<>(pluginPackages());
        forbidden.addAll(List.of("org.modkv.client..", "org.modkv.protocol..", "org.modkv.distribution.."));
        LIBRARIES.keySet().forEach(library -> forbidden.add(library + ".."));
        noClasses().that().resideInAPackage("org.modkv.node..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the kernel finds plugins through ServiceLoader only (docs/design/modules.md)")
                .check(modkv);
    }

    @Test
    void pluginLoaderDependsOnTheJdkAndTheApiOnly() {
        classes().that().resideInAPackage("org.modkv.pluginloader..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.modkv.api..", "org.modkv.pluginloader..")
                .because("testkit shares it with the node, and a plugin author's tests get it with testkit")
                .check(modkv);
    }

    @Test
    void clientDependsOnProtocolAndNettyOnly() {
        classes().that().resideInAPackage("org.modkv.client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.modkv.client..",
                        "org.modkv.protocol..", "com.google.protobuf..", "io.netty..")
                .because("applications embed the client without the SPI or the kernel")
                .check(modkv);
    }

    @TestFactory
    Stream<DynamicTest> noPluginDependsOnTheKernelTheCliTheClientOrAnotherPlugin() {
        return pluginRoots.stream().map(plugin -> DynamicTest.dynamicTest(plugin, () -> {
            List<String> forbidden = new ArrayList<>(List.of("org.modkv.node..", "org.modkv.distribution..",
                    "org.modkv.client..", "org.modkv.testkit..", "org.modkv.pluginloader.."));
            pluginRoots.stream().filter(other -> !other.equals(plugin)).forEach(other -> forbidden.add(other + ".."));
            noClasses().that().resideInAPackage(plugin + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .check(modkv);
        }));
    }

    @TestFactory
    Stream<DynamicTest> pluginsDependOnlyOnTheJdkTheApiAndTheirOwnLibraries() {
        return pluginRoots.stream().map(plugin -> DynamicTest.dynamicTest(plugin, () -> {
            List<String> libraries = PLUGIN_LIBRARIES.get(plugin);
            if (libraries == null) {
                fail("plugin package " + plugin + " has no row in ArchitectureTest.PLUGIN_LIBRARIES; "
                        + "add one listing the third-party packages it may use");
            }
            List<String> allowed = new ArrayList<>(List.of("java..", "org.modkv.api..", plugin + ".."));
            allowed.addAll(libraries);
            LIBRARIES.keySet().forEach(library -> allowed.add(library + ".."));
            classes().that().resideInAPackage(plugin + "..")
                    .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                    .check(modkv);
        }));
    }

    @TestFactory
    Stream<DynamicTest> librariesDependOnlyOnTheJdkTheApiTheirOwnLibrariesAndOtherLibraries() {
        return LIBRARIES.entrySet().stream().map(library -> DynamicTest.dynamicTest(library.getKey(), () -> {
            List<String> allowed = new ArrayList<>(List.of("java..", "org.modkv.api.."));
            allowed.addAll(library.getValue());
            LIBRARIES.keySet().forEach(any -> allowed.add(any + ".."));
            classes().that().resideInAPackage(library.getKey() + "..")
                    .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                    .because("a library is bundled into plugin layers: it sees no plugin, kernel, client or CLI")
                    .check(modkv);
        }));
    }

    @TestFactory
    Stream<DynamicTest> librariesProvideNoService() {
        return LIBRARIES.keySet().stream().map(library -> DynamicTest.dynamicTest(library, () -> {
            Set<Path> roots = new TreeSet<>();
            classesOf(library).forEach(type -> roots.add(codeRoot(type)));
            assertFalse(roots.isEmpty(), "no classes of " + library);
            for (Path root : roots) {
                Set<ModuleReference> modules = ModuleFinder.of(root).findAll();
                assertEquals(1, modules.size(), "library " + library + " at " + root + " must be one named module");
                ModuleDescriptor descriptor = modules.iterator().next().descriptor();
                assertEquals(Set.of(), descriptor.provides(), "library " + library + " (module " + descriptor.name()
                        + ", " + root + ") must provide no service: a plugin provides, a library is used");
                assertFalse(hasServiceFiles(root), "library " + library + " at " + root + " has META-INF/services "
                        + "entries: a library provides no service");
            }
        }));
    }

    private static List<JavaClass> classesOf(String rootPackage) {
        List<JavaClass> found = new ArrayList<>();
        for (JavaClass type : modkv) {
            if (type.getPackageName().equals(rootPackage) || type.getPackageName().startsWith(rootPackage + ".")) {
                found.add(type);
            }
        }
        return found;
    }

    /** The jar or class directory {@code type} was imported from. */
    private static Path codeRoot(JavaClass type) {
        URI uri = type.getSource().orElseThrow(() -> new AssertionError("no source for " + type.getName())).getUri();
        String location = uri.toString();
        if (location.startsWith("jar:")) {
            return Path.of(URI.create(location.substring("jar:".length(), location.indexOf("!/"))));
        }
        Path root = Path.of(uri);
        for (int depth = type.getName().split("\\.").length; depth > 0; depth--) {
            root = root.getParent();
        }
        return root;
    }

    private static boolean hasServiceFiles(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return Files.exists(root.resolve("META-INF/services"));
        }
        try (JarFile jar = new JarFile(root.toFile())) {
            return jar.stream().anyMatch(entry -> entry.getName().startsWith("META-INF/services/")
                    && !entry.isDirectory());
        }
    }

    private static List<String> pluginPackages() {
        return PLUGIN_KINDS.stream().map(kind -> "org.modkv." + kind + "..").toList();
    }
}
