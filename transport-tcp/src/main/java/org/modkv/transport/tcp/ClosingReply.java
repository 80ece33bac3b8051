package org.modkv.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.modkv.protocol.wire.Response;

/**
 * Sends a last error frame and ends the connection so that the client gets to read it.
 *
 * <p>Closing a socket whose receive buffer still holds unread bytes (a client that pipelined
 * past its bad frame) makes the kernel send a reset, and a reset can destroy our error frame
 * before the client reads it. So: write the frame, shut down our output (a clean FIN after
 * the frame), keep reading and discarding until the client closes its side, and close for
 * good after {@link #LINGER_SECONDS} at the latest.
 */
final class ClosingReply {
    static final long LINGER_SECONDS = 5;

    private ClosingReply() {
    }

    /** The caller must discard everything it reads from {@code channel} from now on. */
    static void send(Channel channel, Response error) {
        channel.config().setAutoRead(true);
        channel.writeAndFlush(Replies.frame(error)).addListener(written -> {
            if (!written.isSuccess() || !(channel instanceof SocketChannel socket)) {
                channel.close();
                return;
            }
            socket.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    channel.close();
                }
            });
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }
}
