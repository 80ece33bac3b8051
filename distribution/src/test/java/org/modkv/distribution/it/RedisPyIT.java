package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-py (Debian's {@code python3-redis}) against a real node's RESP transport: its default
 * {@code pipeline()} sends MULTI/EXEC, its WATCH retry loop, SET NX/EX, INCR and {@code scan_iter}
 * (which parses SCAN's cursor as an integer). Skipped when python3 or its redis module is absent;
 * CI installs python3-redis in .ci/run (docs/design/kv-api.md).
 */
class RedisPyIT {
    private static final String SCRIPT = """
            import sys, redis
            r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]), decode_responses=True)
            pipe = r.pipeline()  # transaction=True: MULTI ... EXEC
            pipe.set('py:a', '1').incr('py:counter').incr('py:counter').get('py:a')
            assert pipe.execute() == [True, 1, 2, '1'], 'pipeline'
            assert r.set('py:lock', 'me', nx=True, ex=60) is True, 'set nx'
            assert r.set('py:lock', 'you', nx=True) is None, 'set nx again'
            assert 0 < r.ttl('py:lock') <= 60, 'ttl'
            def move(p):
                value = int(p.get('py:counter'))
                p.multi()
                p.set('py:counter', value + 10)
            r.transaction(move, 'py:counter')  # WATCH, GET, MULTI, SET, EXEC with retries
            assert r.get('py:counter') == '12', 'watch transaction'
            for i in range(30):
                r.set('py:scan:%d' % i, 'v')
            keys = list(r.scan_iter(match='py:scan:*', count=7))
            assert sorted(keys) == sorted('py:scan:%d' % i for i in range(30)) and len(keys) == 30, 'scan_iter'
            print('ok')
            """;

    @TempDir
    static Path dir;
    private static NodeProcess node;
    private static Path python;

    @BeforeAll
    static void startNode() throws Exception {
        Optional<Path> found = pythonWithRedis();
        assumeTrue(found.isPresent(), "no python3 (on PATH, or /usr/bin/python3) can import redis "
                + "(apt-get install python3-redis)");
        python = found.get();
        node = NodeProcess.start(dir.resolve("data"), "--set", "transports=tcp,resp");
    }

    /**
     * The first python3 that has the redis module: the one on PATH, else Debian's
     * {@code /usr/bin/python3} (where python3-redis installs it; a PATH may lead to another
     * Python first, such as a pyenv shim).
     */
    private static Optional<Path> pythonWithRedis() throws Exception {
        List<Path> candidates = new java.util.ArrayList<>();
        ExternalTools.find("python3").ifPresent(candidates::add);
        Path debian = Path.of("/usr/bin/python3");
        if (java.nio.file.Files.isExecutable(debian)) {
            candidates.add(debian);
        }
        for (Path candidate : candidates) {
            if (Cli.run(List.of("-c", "import redis"), null, Map.of(), candidate).status() == 0) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void redisPyPipelinesWatchTransactionsConditionalSetsAndScanIterWork() throws Exception {
        Cli.Result run = Cli.run(List.of("-", Integer.toString(NodeProcess.port(node.resp()))), SCRIPT, Map.of(), python);
        assertEquals(0, run.status(), run.toString());
        assertEquals("ok\n", run.out(), run.toString());
    }
}
