package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.transport.TransportProvider;

class TcpTransportProviderTest {
    private final TcpTransportProvider provider = new TcpTransportProvider();

    @Test
    void isTheTransportNamedTcpBuiltAgainstThisApi() {
        assertEquals("tcp", provider.name());
        assertEquals(PluginKind.TRANSPORT, provider.kind());
        assertEquals(ApiVersion.CURRENT, provider.apiVersion());
    }

    @Test
    void schemaDeclaresTheTcpKeysWithTheirDefaults() {
        List<String> keys = provider.configSchema().keys().stream().map(k -> k.name() + "=" + k.defaultText()).toList();
        assertEquals(List.of("tcp.listen=127.0.0.1:7379", "tcp.max.frame.bytes=16MiB", "tcp.max.connections=10000",
                "tcp.max.inflight=1024", "tcp.io.threads=0", "tcp.io.transport=auto",
                "tcp.io.async.fsync=false", "tcp.idle.timeout.ms=0",
                "tcp.peers=", "tcp.peer.listen=127.0.0.1:7380", "tcp.peer.max.frame.bytes=64MiB"), keys);
        TcpSettings defaults = TcpTransportProvider.settings(provider.configSchema().bind(Map.of()));
        assertEquals(16 << 20, defaults.maxFrameBytes());
        assertEquals(7379, defaults.listen().port());
        for (ConfigKey<?> key : provider.configSchema().keys()) {
            assertTrue(key.name().startsWith("tcp."), key.name());
            assertTrue(!key.doc().isBlank(), key.name());
        }
    }

    @Test
    void frameLimitBelowOneKibibyteIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("tcp.max.frame.bytes", "100")));
        assertTrue(e.getMessage().startsWith("tcp.max.frame.bytes:"), e.getMessage());
    }

    @Test
    void addressInUseFailsStartWithAnIoExceptionNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            IOException e = assertThrows(IOException.class, () -> provider.start(
                    TcpTestContexts.context(Map.of("tcp.listen", listen), TcpTestContexts.handler())));
            assertTrue(e.getMessage().startsWith("cannot listen on tcp.listen=" + listen + ": "), e.getMessage());
        }
    }

    @Test
    void moduleDeclaresTheProviderForServiceLoader() {
        Module module = TcpTransportProvider.class.getModule();
        if (!module.isNamed()) {
            return; // run on the class path: nothing to check here
        }
        var provides = module.getDescriptor().provides().stream()
                .filter(p -> p.service().equals(TransportProvider.class.getName())).toList();
        assertEquals(1, provides.size());
        assertEquals(List.of(TcpTransportProvider.class.getName()), provides.get(0).providers());
    }
}
