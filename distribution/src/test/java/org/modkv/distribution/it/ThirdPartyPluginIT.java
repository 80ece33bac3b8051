package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;
import org.modkv.client.SearchHit;

/**
 * examples/third-party-plugin, built as an outsider builds it: its own {@code mvn -f}, offline,
 * against a local repository that holds this reactor's api, testkit, plugin-loader,
 * plugin-assembly, bom and parent (copied in as {@code mvn install} would put them) plus the
 * Maven plugins and libraries of the build's own repository, never writing to that one. Its
 * plugin directory goes into a copy of the packaged distribution's plugins/, a node runs with
 * {@code indexes=prefix}, values written with redis-cli and the Java client are found through
 * the plugin with the client's query.
 */
class ThirdPartyPluginIT {
    private static final String VERSION = System.getProperty("modkv.version", "0.1.0-SNAPSHOT");
    private static final String PLUGIN = "index-value-prefix";

    @TempDir
    Path work;

    @Test
    void anOutsidersPluginBuildsAgainstTheInstalledArtifactsAndRunsInADistribution() throws Exception {
        Path reactor = Path.of(System.getProperty("modkv.reactor", "..")).toAbsolutePath().normalize();
        Path repo = seedRepository(reactor);
        Path example = work.resolve("example");
        sh(List.of("cp", "-a", reactor.resolve("examples/third-party-plugin").toString(), example.toString()));
        sh(List.of("rm", "-rf", example.resolve("target").toString()));
        Path mvn = ExternalTools.find("mvn").orElseGet(() -> fail("mvn is not on PATH; this test builds the example with it"));
        Cli.Result build = Cli.run(List.of("-B", "-o", "-q", "-Dmaven.repo.local=" + repo, "-f",
                example.resolve("pom.xml").toString(), "verify"), null, Map.of(), mvn);
        assertEquals(0, build.status(), "the example's own build (TCK and PackagedPluginIT) failed:\n" + build);
        Path pluginDir = example.resolve("target/" + PLUGIN + "-1.0.0-modkv-plugin/" + PLUGIN);
        assertTrue(Files.isRegularFile(pluginDir.resolve(PLUGIN + "-1.0.0.jar")), "no plugin jar in " + pluginDir);

        Path home = work.resolve("modkv");
        sh(List.of("cp", "-a", Distribution.home().toString(), home.toString()));
        sh(List.of("cp", "-a", pluginDir.toString(), home.resolve("plugins").toString()));

        Cli.Result listing = Cli.run(List.of("plugins"), null, Map.of(), home.resolve("bin/modkv"));
        assertEquals(0, listing.status(), listing.toString());
        assertTrue(listing.out().contains("module org.example.prefixindex 1.0.0, API 2.0, from plugins/" + PLUGIN + "/"),
                listing.out());

        try (NodeProcess node = NodeProcess.startFrom(home, Files.createDirectories(work.resolve("node")),
                "--set", "data.dir=" + work.resolve("node/data"), "--set", "indexes=prefix",
                "--set", "transports=tcp,resp", "--set", "prefix.max.chars=16");
             ModkvClient client = ModkvClient.connect(node.tcp())) {
            Path redisCli = ExternalTools.requireRedisTool("redis-cli");
            int respPort = NodeProcess.port(node.resp());
            for (String[] pair : new String[][] {{"user:1", "alice smith"}, {"user:2", "alfred jones"}, {"user:3", "bob"}}) {
                Cli.Result set = Cli.run(List.of("-h", "127.0.0.1", "-p", Integer.toString(respPort), "SET", pair[0], pair[1]),
                        null, Map.of(), redisCli);
                assertEquals("OK\n", set.out(), set.toString());
            }
            client.put("user:4", "alice cooper");

            assertEquals(List.of("user:1", "user:2", "user:4"), keys(client.query("prefix", "prefix", List.of("al"), Map.of())));
            assertEquals(List.of("user:1", "user:4"), keys(client.query("prefix", "prefix", List.of("alice"), Map.of())));

            Cli.Result del = Cli.run(List.of("-h", "127.0.0.1", "-p", Integer.toString(respPort), "DEL", "user:1"),
                    null, Map.of(), redisCli);
            assertEquals("1\n", del.out(), del.toString());
            assertEquals(List.of("user:4"), keys(client.query("prefix", "prefix", List.of("alice"), Map.of())));
        }
    }

    private static List<String> keys(List<SearchHit> hits) {
        List<String> keys = new ArrayList<>();
        hits.forEach(hit -> keys.add(new String(hit.key(), StandardCharsets.UTF_8)));
        return keys;
    }

    /**
     * A local repository for the example's offline build: a copy of this build's own (plugins,
     * JUnit...) without any org.modkv artifact, plus this reactor's, laid out as an install
     * would.
     */
    private Path seedRepository(Path reactor) throws IOException, InterruptedException {
        Path own = Path.of(System.getProperty("modkv.m2", System.getProperty("user.home") + "/.m2/repository"));
        Path repo = work.resolve("m2");
        sh(List.of("cp", "-a", own.toString(), repo.toString()));
        sh(List.of("rm", "-rf", repo.resolve("org/modkv").toString()));
        install(repo, "modkv-parent", reactor.resolve("pom.xml"), null);
        install(repo, "bom", reactor.resolve("bom/pom.xml"), null);
        for (String module : List.of("api", "plugin-loader", "testkit", "plugin-assembly")) {
            install(repo, module, reactor.resolve(module + "/pom.xml"),
                    reactor.resolve(module + "/target/" + module + "-" + VERSION + ".jar"));
        }
        return repo;
    }

    private static void install(Path repo, String artifactId, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repo.resolve("org/modkv/" + artifactId + "/" + VERSION));
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
        if (jar != null) {
            assertTrue(Files.isRegularFile(jar), jar + " is missing: the reactor builds it before distribution");
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
        }
    }

    private static void sh(List<String> command) throws IOException, InterruptedException {
        Cli.Result result = Cli.run(command.subList(1, command.size()), null, Map.of(), Path.of("/bin", command.get(0)));
        assertEquals(0, result.status(), result.toString());
    }
}
