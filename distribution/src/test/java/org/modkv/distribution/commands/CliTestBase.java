package org.modkv.distribution.commands;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/** CLI tests against one {@link TcpCliFixture} per class: {@link #KERNEL} is its in-memory kernel. */
abstract class CliTestBase {
    static TcpCliFixture cli;
    static InMemoryRequestHandler KERNEL;

    @BeforeAll
    static void startTransport() throws Exception {
        cli = TcpCliFixture.start();
        KERNEL = cli.kernel;
    }

    @AfterAll
    static void stopTransport() throws Exception {
        cli.close();
    }
}
