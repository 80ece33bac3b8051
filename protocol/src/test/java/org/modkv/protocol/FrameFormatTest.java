package org.modkv.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.modkv.protocol.wire.Hello;
import org.modkv.protocol.wire.Put;
import org.modkv.protocol.wire.Request;

class FrameFormatTest {

    @Test
    void encodedFrameIsBigEndianLengthThenMessage() throws Exception {
        Request request = Request.newBuilder().setId(7)
                .setPut(Put.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")))
                .build();
        byte[] frame = FrameFormat.encode(request);
        int length = ((frame[0] & 0xff) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
        assertEquals(request.getSerializedSize(), length);
        assertEquals(frame.length - FrameFormat.LENGTH_PREFIX_BYTES, length);
        assertEquals(request, Request.parseFrom(Arrays.copyOfRange(frame, 4, frame.length)));
    }

    @Test
    void checkLengthNamesTheLimitForOversizedAndNegativeFrames() {
        assertNull(FrameFormat.checkLength(1024, 1024, "tcp.max.frame.bytes"));
        assertNull(FrameFormat.checkLength(0, 1024, "tcp.max.frame.bytes"));
        assertEquals("frame of 1025 bytes exceeds tcp.max.frame.bytes=1024",
                FrameFormat.checkLength(1025, 1024, "tcp.max.frame.bytes"));
        assertEquals("frame length -1 is negative; a frame starts with a 4-byte big-endian length 0..1024",
                FrameFormat.checkLength(-1, 1024, "tcp.max.frame.bytes"));
    }

    @Test
    void unsupportedVersionMessageSaysWhatTheServerSpeaks() {
        assertEquals("protocol version 2 not supported; this server speaks 1", ProtocolVersion.unsupportedMessage(2));
        assertEquals(true, ProtocolVersion.isSupported(ProtocolVersion.CURRENT));
        assertEquals(false, ProtocolVersion.isSupported(0));
    }

    @Test
    void generatedMessagesPrintThroughProtobufReflection() {
        // Pitfall 4 of the stack notes: toString() needs the generated package opened to protobuf.
        Request hello = Request.newBuilder().setId(1)
                .setHello(Hello.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT)).build();
        assertEquals(true, hello.toString().contains("protocol_version: 1"), hello.toString());
    }
}
