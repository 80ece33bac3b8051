package org.modkv.distribution.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the client protocol (modkv.proto) to write frames by hand and read the
 * server's answers, the way a client in another language would: a 4-byte big-endian length,
 * then one Protobuf message. Independent of the generated classes on purpose.
 */
final class WireFrames {
    /** Response.error's field number. */
    static final int RESPONSE_ERROR = 10;
    /** Response.hello_ok's field number. */
    static final int RESPONSE_HELLO_OK = 2;

    private WireFrames() {
    }

    /** A frame holding Request{id, hello{protocol_version, client_name}}. */
    static byte[] hello(long id, int protocolVersion) {
        byte[] hello = concat(varintField(1, protocolVersion), bytesField(2, "malformed-frames-it".getBytes(StandardCharsets.UTF_8)));
        return frame(concat(varintField(1, id), bytesField(2, hello)));
    }

    /** A frame holding Request{id, get{key}}. */
    static byte[] get(long id, String key) {
        byte[] get = bytesField(1, key.getBytes(StandardCharsets.UTF_8));
        return frame(concat(varintField(1, id), bytesField(3, get)));
    }

    /** A 4-byte big-endian length prefix alone. */
    static byte[] lengthPrefix(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    static byte[] frame(byte[] message) {
        return concat(lengthPrefix(message.length), message);
    }

    /** One server answer: the field numbers present in the Response and the error message, if any. */
    record Answer(List<Integer> fields, String errorMessage) {
        boolean isError() {
            return fields.contains(RESPONSE_ERROR);
        }
    }

    /** Splits {@code stream} into frames and reads each as a Response; a torn tail is an error. */
    static List<Answer> answers(byte[] stream) {
        List<Answer> answers = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            if (stream.length - at < 4) {
                throw new AssertionError("torn length prefix at byte " + at + " of the server's answer");
            }
            int length = ((stream[at] & 0xff) << 24) | ((stream[at + 1] & 0xff) << 16)
                    | ((stream[at + 2] & 0xff) << 8) | (stream[at + 3] & 0xff);
            at += 4;
            if (length < 0 || at + length > stream.length) {
                throw new AssertionError("server frame of " + length + " bytes overruns its answer");
            }
            answers.add(response(stream, at, at + length));
            at += length;
        }
        return answers;
    }

    private static Answer response(byte[] buf, int from, int to) {
        List<Integer> fields = new ArrayList<>();
        String error = null;
        int[] at = {from};
        while (at[0] < to) {
            long tag = varint(buf, at);
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            fields.add(field);
            if (type == 0) {
                varint(buf, at);
            } else if (type == 2) {
                int length = (int) varint(buf, at);
                if (field == RESPONSE_ERROR) {
                    error = errorMessage(buf, at[0], at[0] + length);
                }
                at[0] += length;
            } else {
                throw new AssertionError("unexpected wire type " + type + " in a Response");
            }
        }
        return new Answer(fields, error);
    }

    /** Error.message (field 2) of an Error message. */
    private static String errorMessage(byte[] buf, int from, int to) {
        int[] at = {from};
        String message = "";
        while (at[0] < to) {
            long tag = varint(buf, at);
            if ((tag & 7) == 0) {
                varint(buf, at);
            } else {
                int length = (int) varint(buf, at);
                if ((tag >>> 3) == 2) {
                    message = new String(buf, at[0], length, StandardCharsets.UTF_8);
                }
                at[0] += length;
            }
        }
        return message;
    }

    private static long varint(byte[] buf, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("varint longer than 10 bytes");
    }

    private static byte[] varintField(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] bytesField(int field, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
