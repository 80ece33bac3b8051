package org.modkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Choosing a backend from a transport's {@code *.io.transport} value: {@code auto} takes the first
 * of io_uring, epoll, nio that runs here; a named one is taken if it runs here and refused, naming
 * the key and why, if not. (Each transport's IoBackendTest serves real clients on every backend.)
 */
class NettyIoTest {

    @Test
    void autoTakesTheFirstOfIoUringEpollNioThatRunsHere() {
        NettyIo expected = Arrays.stream(NettyIo.values()).filter(io -> io.unavailability() == null).findFirst()
                .orElseThrow();
        assertEquals(expected, NettyIo.choose("x.io.transport", "auto"));
        assertEquals(NettyIo.NIO, NettyIo.choose("x.io.transport", "nio"), "nio runs everywhere");
    }

    @ParameterizedTest
    @EnumSource(NettyIo.class)
    void aNamedBackendIsTakenIfItRunsHereOrRefusedSayingWhy(NettyIo backend) {
        String why = backend.unavailability();
        if (why == null) {
            assertEquals(backend, NettyIo.choose("x.io.transport", backend.configName()));
            return;
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NettyIo.choose("x.io.transport", backend.configName()));
        assertTrue(refused.getMessage().startsWith("x.io.transport=" + backend.configName() + " cannot run here: "
                + why), refused.getMessage());
    }

    @Test
    void configNamesAreTheValuesTheKeysTake() {
        assertEquals(Arrays.asList("io_uring", "epoll", "nio"),
                Arrays.stream(NettyIo.values()).map(NettyIo::configName).toList());
    }
}
