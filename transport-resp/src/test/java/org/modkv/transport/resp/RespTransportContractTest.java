package org.modkv.transport.resp;

import java.net.InetSocketAddress;
import java.util.Map;
import org.modkv.api.transport.TransportProvider;
import org.modkv.testkit.transport.TransportContract;
import org.modkv.testkit.transport.TransportProbe;

/** The transport contract against the RESP transport, probed with Jedis ({@link JedisProbe}). */
class RespTransportContractTest extends TransportContract {
    @Override
    protected TransportProvider provider() {
        return new RespTransportProvider();
    }

    @Override
    protected Map<String, String> listenOn(String hostPort) {
        return Map.of("resp.listen", hostPort);
    }

    @Override
    protected Map<String, String> maxFrameBytes(int bytes) {
        return Map.of("resp.max.bulk.bytes", Integer.toString(bytes));
    }

    @Override
    protected String endpointName() {
        return "resp";
    }

    @Override
    protected TransportProbe connect(InetSocketAddress address) {
        return new JedisProbe(address);
    }
}
