package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.node.PluginCatalog;

/** The layout of the packaged distribution and its launcher (docs/design/config-and-cli.md: bin/modkv works from the tarball alone). */
class PackagingIT {
    @TempDir
    Path dir;

    @Test
    void sampleConfigNamesEveryKeyTheDistributionKnowsAndNoOther() throws Exception {
        Set<String> inSample = SampleConfigKeys.parse(
                Files.readString(Distribution.home().resolve("conf/modkv.properties"))).keySet();
        Set<String> known = new TreeSet<>(SampleConfigKeys.fromLauncher().keySet());
        PluginCatalog.kernelSchema().keys().forEach(k -> known.add(k.name()));
        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(inSample);
        Set<String> stale = new TreeSet<>(inSample);
        stale.removeAll(known);
        assertTrue(missing.isEmpty() && stale.isEmpty(), "conf/modkv.properties is out of date: missing " + missing
                + ", unknown " + stale + "; regenerate it with: bin/modkv plugins --sample-config");
    }

    @Test
    void everyPluginDirectoryLoadsAsItsOwnLayer() throws Exception {
        Cli.Result listing = Cli.modkv("plugins");
        assertEquals(0, listing.status(), listing::toString);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(Distribution.pluginsDir())) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(dirs.size() >= 2, "expected a directory per plugin in " + Distribution.pluginsDir());
        for (Path pluginDir : dirs) {
            assertTrue(listing.out().contains(", from plugins/" + pluginDir.getFileName() + "/"),
                    pluginDir + " provides no plugin:\n" + listing);
            try (Stream<Path> jars = Files.list(pluginDir)) {
                assertTrue(jars.noneMatch(j -> j.getFileName().toString().startsWith("api-")),
                        pluginDir + " must not carry org.modkv.api: the node's SPI is the only one");
            }
        }
        assertTrue(listing.err().isEmpty(), "plugin loading complained:\n" + listing.err());
    }

    @Test
    void tarballHoldsTheSameTreeUnderOneTopDirectory() throws Exception {
        Path home = Distribution.home();
        Path tarball = home.resolveSibling(home.getFileName() + ".tar.gz");
        assertTrue(Files.isRegularFile(tarball), "no " + tarball);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar -xzf " + tarball);
        Path unpacked = dir.resolve(home.getFileName());
        assertEquals(tree(home), tree(unpacked));
        assertTrue(Files.isExecutable(unpacked.resolve("bin/modkv")), "bin/modkv must be executable in the tarball");

        Cli.Result version = Cli.run(List.of("--version"), null, Map.of(), unpacked.resolve("bin/modkv"));
        assertEquals(0, version.status(), version::toString);
        assertTrue(version.out().startsWith("modkv "), version::toString);
    }

    @Test
    void launcherFindsItsHomeThroughSymlinks() throws Exception {
        Path links = Files.createDirectories(dir.resolve("links"));
        Path first = Files.createSymbolicLink(links.resolve("modkv-direct"), Distribution.launcher());
        Path second = Files.createSymbolicLink(links.resolve("modkv-relative"), links.relativize(first));
        for (Path link : List.of(first, second)) {
            Cli.Result plugins = Cli.run(List.of("plugins"), null, Map.of(), link);
            assertEquals(0, plugins.status(), plugins::toString);
            assertTrue(plugins.out().contains("module org.modkv.transport.tcp"),
                    "plugins of the home directory not found through " + link + ":\n" + plugins);
        }
    }

    @Test
    void launcherHonoursJavaHomeAndModkvOpts() throws Exception {
        Cli.Result badJava = Cli.run(List.of("--version"), null, Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()),
                Distribution.launcher());
        assertEquals(2, badJava.status(), badJava::toString);
        assertTrue(badJava.err().contains("JAVA_HOME"), badJava::toString);

        Cli.Result goodJava = Cli.run(List.of("--version"), null,
                Map.of("JAVA_HOME", System.getProperty("java.home")), Distribution.launcher());
        assertEquals(0, goodJava.status(), goodJava::toString);

        Cli.Result badOption = Cli.run(List.of("--version"), null, Map.of("MODKV_OPTS", "-Xmx64m -XX:NoSuchFlag"),
                Distribution.launcher());
        assertNotEquals(0, badOption.status(), "MODKV_OPTS must reach the JVM:\n" + badOption);
        assertTrue(badOption.err().contains("NoSuchFlag"), badOption::toString);
    }

    private static Set<String> tree(Path root) throws IOException {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> entries.add(root.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "")));
        }
        return new TreeSet<>(entries);
    }
}
