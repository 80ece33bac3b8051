package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;

/**
 * A distribution with chosen plugins, made from the packaged one by the build's own step
 * (src/build/choose-plugins.sh, which {@code -Dplugins=...} runs at package time): it holds and
 * lists exactly the chosen plugins, its generated conf/modkv.properties starts a node, a config
 * naming a plugin it lacks says where that plugin comes from, and a plugin directory added with
 * {@code --plugin-dir} or MODKV_PLUGIN_PATH is loaded and usable.
 */
class ChosenPluginsIT {
    private static final List<String> CHOSEN = List.of("replication-raft", "storage-wal", "transport-tcp");

    @TempDir
    static Path work;
    static Path home;

    @BeforeAll
    static void buildChosenDistribution() throws IOException, InterruptedException {
        home = work.resolve("modkv-chosen");
        run(List.of("cp", "-a", Distribution.home().toString(), home.toString()));
        run(List.of("bash", Path.of("src/build/choose-plugins.sh").toAbsolutePath().toString(), home.toString(),
                String.join(",", CHOSEN)));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Cli.Result result = Cli.run(command.subList(1, command.size()), null, Map.of(), Path.of(command.get(0)));
        assertEquals(0, result.status(), result.toString());
    }

    private static Cli.Result modkv(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return Cli.run(List.of(args), null, env, home.resolve("bin/modkv"));
    }

    @Test
    void holdsAndListsExactlyTheChosenPlugins() throws IOException, InterruptedException {
        try (Stream<Path> dirs = Files.list(home.resolve("plugins"))) {
            assertEquals(Set.copyOf(CHOSEN), dirs.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        Cli.Result listing = modkv(Map.of(), "plugins");
        assertEquals(0, listing.status(), listing.toString());
        Set<String> listedDirs = Stream.of(listing.out().split("\n"))
                .filter(line -> line.contains(", from plugins/"))
                .map(line -> line.substring(line.indexOf("from plugins/") + "from plugins/".length()).split("/")[0])
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(CHOSEN), listedDirs, listing.out());
        assertTrue(listing.out().contains("module org.modkv.storage.wal 0.1.0-SNAPSHOT, API 2.0, from plugins/storage-wal/"),
                listing.out());
    }

    @Test
    void itsGeneratedConfigStartsANode() throws IOException, InterruptedException {
        String conf = Files.readString(home.resolve("conf/modkv.properties"));
        assertTrue(conf.contains("\nindexes=\n"), "fulltext is not there, so no index is chosen:\n" + conf);
        assertTrue(conf.contains("\ntransports=tcp\n"), conf);
        assertFalse(conf.contains("perkey"), "no key of a plugin the distribution lacks");
        try (NodeProcess node = NodeProcess.startFrom(home, Files.createDirectories(work.resolve("n1")),
                "--config", home.resolve("conf/modkv.properties").toString(),
                "--set", "data.dir=" + work.resolve("n1/data"));
             ModkvClient client = ModkvClient.connect(node.tcp())) {
            client.put("k", "v");
            assertEquals("v", client.get("k").orElseThrow());
        }
    }

    @Test
    void anUnknownPluginNameFailsTheBuildListingThePlugins() throws IOException, InterruptedException {
        Path copy = work.resolve("modkv-unknown");
        run(List.of("cp", "-a", Distribution.home().toString(), copy.toString()));
        Cli.Result result = Cli.run(List.of(Path.of("src/build/choose-plugins.sh").toAbsolutePath().toString(),
                copy.toString(), "storage-wal,storage-rocks"), null, Map.of(), Path.of("/bin/bash"));
        assertEquals(1, result.status(), result.toString());
        assertTrue(result.err().contains("-Dplugins names 'storage-rocks', which is not a plugin of this build; "
                + "the plugins are: index-fulltext,index-tfidf,replication-raft,storage-perkey,storage-wal,"
                + "transport-resp,transport-tcp"), result.err());
        assertTrue(Files.isDirectory(copy.resolve("plugins/storage-perkey")), "nothing is removed before every name is checked");
    }

    @Test
    void aMissingPluginSaysWhereItComesFrom() throws IOException, InterruptedException {
        Cli.Result result = modkv(Map.of(), "node", "--set", "storage=perkey", "--set", "indexes=",
                "--set", "data.dir=" + work.resolve("missing"));
        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("storage plugin 'perkey' is not installed; it is the module "
                + "org.modkv.storage.perkey, in the full distribution or in a plugin directory plugins/storage-perkey"),
                result.err());
    }

    @Test
    void loadsPluginDirectoriesNamedOnTheCommandLineAndInTheEnvironment() throws IOException, InterruptedException {
        Path perkey = Distribution.pluginsDir().resolve("storage-perkey");
        Path tfidf = Distribution.pluginsDir().resolve("index-tfidf");
        Cli.Result listing = modkv(Map.of("MODKV_PLUGIN_PATH", tfidf.toString()), "plugins", "--plugin-dir", perkey.toString());
        assertEquals(0, listing.status(), listing.toString());
        assertTrue(listing.out().contains("module org.modkv.storage.perkey 0.1.0-SNAPSHOT, API 2.0, from " + perkey),
                listing.out());
        assertTrue(listing.out().contains("module org.modkv.index.tfidf 0.1.0-SNAPSHOT, API 2.0, from " + tfidf),
                listing.out());

        Cli.Result absent = modkv(Map.of(), "plugins", "--plugin-dir", work.resolve("nowhere").toString());
        assertEquals(2, absent.status(), absent.toString());
        assertTrue(absent.err().contains("--plugin-dir names " + work.resolve("nowhere") + ", which is not a directory"),
                absent.err());

        try (NodeProcess node = NodeProcess.startFrom(home, Files.createDirectories(work.resolve("n2")),
                "--plugin-dir", perkey.toString(), "--set", "storage=perkey", "--set", "indexes=",
                "--set", "transports=tcp", "--set", "data.dir=" + work.resolve("n2/data"));
             ModkvClient client = ModkvClient.connect(node.tcp())) {
            client.put("a", "1");
            assertEquals("1", client.get("a").orElseThrow());
        }
        assertTrue(Files.isDirectory(work.resolve("n2/data/storage-perkey")), "the perkey plugin stored the data");
    }
}
