package org.modkv.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.modkv.api.transport.TransportProvider;
import org.modkv.testkit.transport.TransportContract;
import org.modkv.testkit.transport.TransportProbe;

/** The transport contract against the {@code tcp} transport, probed with raw protocol frames ({@link RawFrameProbe}). */
class TcpTransportContractTest extends TransportContract {
    @Override
    protected TransportProvider provider() {
        return new TcpTransportProvider();
    }

    @Override
    protected Map<String, String> listenOn(String hostPort) {
        return Map.of("tcp.listen", hostPort);
    }

    @Override
    protected Map<String, String> maxFrameBytes(int bytes) {
        return Map.of("tcp.max.frame.bytes", Integer.toString(bytes));
    }

    @Override
    protected String endpointName() {
        return "tcp";
    }

    @Override
    protected TransportProbe connect(InetSocketAddress address) throws IOException {
        return new RawFrameProbe(address);
    }
}
