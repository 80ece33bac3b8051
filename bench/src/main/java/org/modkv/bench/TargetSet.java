package org.modkv.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.modkv.client.IoTransport;
import org.modkv.client.ModkvClient;
import org.modkv.client.io.ClientIo;
import org.modkv.client.ModkvClientException;

/**
 * The connections of one run: {@code connections} targets, connection {@code j} to address
 * {@code j % addresses} (spreading over a cluster, or targeting one node when one address is
 * given). Owns the RESP event loop threads, and for modkv's protocol one client per address
 * holding that address's connections on shared I/O threads (at most one per core), as an
 * application would use it.
 */
final class TargetSet implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TargetSet.class.getName());
    /**
     * The RESP load client's I/O backend: io_uring or epoll where they run, chosen as modkv's
     * client chooses its own with {@link IoTransport#AUTO}, so both targets run on the same one.
     */
    static final ClientIo RESP_IO = ClientIo.choose(IoTransport.AUTO);

    private final List<KeyValueTarget> targets;
    private final EventLoopGroup respGroup;
    private final List<ModkvClient> clients = new ArrayList<>();
    /** Whether {@link #open} made the connections (with {@link #RESP_IO}, as modkv's client picks too). */
    private boolean opened;

    private TargetSet(List<KeyValueTarget> targets, EventLoopGroup respGroup) {
        this.targets = targets;
        this.respGroup = respGroup;
    }

    /** A set over targets opened elsewhere (tests); closing it closes them. */
    static TargetSet of(List<KeyValueTarget> targets) {
        return new TargetSet(List.copyOf(targets), null);
    }

    /** @throws BenchException naming the address that cannot be reached */
    static TargetSet open(BenchOptions options, Duration connectTimeout, Duration requestTimeout) {
        List<Address> addresses = options.connect().stream().map(Address::parse).toList();
        EventLoopGroup group = options.protocol() == BenchOptions.Protocol.RESP
                ? new MultiThreadIoEventLoopGroup(Math.min(options.connections(), Runtime.getRuntime().availableProcessors()),
                        new DefaultThreadFactory("modkv-bench-resp", true), RESP_IO.handlerFactory())
                : null;
        List<KeyValueTarget> opened = new ArrayList<>(options.connections());
        TargetSet set = new TargetSet(opened, group);
        set.opened = true;
        try {
            if (options.protocol() == BenchOptions.Protocol.MODKV) {
                for (int a = 0; a < Math.min(addresses.size(), options.connections()); a++) {
                    int connections = (options.connections() - a + addresses.size() - 1) / addresses.size();
                    set.clients.add(connectModkv(addresses.get(a), connections, connectTimeout, requestTimeout));
                }
            }
            for (int j = 0; j < options.connections(); j++) {
                Address address = addresses.get(j % addresses.size());
                opened.add(switch (options.protocol()) {
                    case MODKV -> new ModkvTarget(set.clients.get(j % addresses.size()));
                    case RESP -> RespTarget.connect(group, address, connectTimeout);
                });
            }
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "opened " + opened.size() + " " + options.protocol().cliName()
                + " connections to " + options.connect());
        return set;
    }

    private static ModkvClient connectModkv(Address address, int connections, Duration connectTimeout,
                                            Duration requestTimeout) {
        try {
            return ModkvTarget.connect(address, connections, connectTimeout, requestTimeout);
        } catch (ModkvClientException e) {
            throw new BenchException("cannot connect to modkv node " + address + ": " + e.getMessage()
                    + " (is a node running there? for Redis or the resp transport use --protocol resp)", e);
        }
    }

    KeyValueTarget get(int index) {
        return targets.get(index);
    }

    int size() {
        return targets.size();
    }

    /**
     * Distinct addresses actually connected to, in order; for connections this set opened, each
     * followed by the clients' I/O backend, e.g. {@code 127.0.0.1:7379 (io_uring)}.
     */
    List<String> addresses() {
        String io = opened ? " (" + RESP_IO.name().toLowerCase(java.util.Locale.ROOT) + ")" : "";
        return targets.stream().map(target -> target.address() + io).distinct().toList();
    }

    @Override
    public void close() {
        for (KeyValueTarget target : targets) {
            try {
                target.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + target.address(), e);
            }
        }
        for (ModkvClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + client.serverAddress(), e);
            }
        }
        if (respGroup != null) {
            respGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
