package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.ServiceLoader;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportProvider;
import org.modkv.distribution.ModkvCommand;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/**
 * A tcp transport over testkit's in-memory kernel, and {@code modkv} one-shot commands run
 * in-process against it, for the CLI tests: what they send, print and exit with.
 */
final class TcpCliFixture implements AutoCloseable {
    /** One command's exit status and output. */
    record Run(int status, String out, String err) {
    }

    final InMemoryRequestHandler kernel;
    private final Transport transport;
    private final String address;

    private TcpCliFixture(InMemoryRequestHandler kernel, Transport transport) {
        this.kernel = kernel;
        this.transport = transport;
        this.address = transport.endpoints().get(0).hostPort();
    }

    static TcpCliFixture start() throws Exception {
        // The tcp plugin is a module that exports nothing: find it as the node does, as a service.
        TcpCliFixture.class.getModule().addUses(TransportProvider.class);
        TransportProvider tcp = ServiceLoader.load(ModuleLayer.boot(), TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("tcp")).findFirst().orElseThrow();
        InMemoryRequestHandler kernel = new InMemoryRequestHandler("cli-node");
        return new TcpCliFixture(kernel, tcp.start(TestTransportContext.forPlugin(tcp, "cli-node",
                Map.of("tcp.listen", "127.0.0.1:0"), kernel)));
    }

    /** {@code modkv args... --connect <this transport>}. */
    Run modkv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withConnect = new String[args.length + 2];
        System.arraycopy(args, 0, withConnect, 0, args.length);
        withConnect[args.length] = "--connect";
        withConnect[args.length + 1] = address;
        int status = ModkvCommand.execute(withConnect, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Override
    public void close() throws Exception {
        transport.close();
    }
}
