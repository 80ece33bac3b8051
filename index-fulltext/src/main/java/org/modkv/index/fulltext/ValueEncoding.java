package org.modkv.index.fulltext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;

/**
 * How a {@code findvalue} argument (a Java string, as every index argument is) carries the value's
 * bytes, chosen by the option {@code value.encoding} ({@link IndexQuery#VALUE_ENCODING}). See docs/design/fulltext.md, "Exact value".
 */
enum ValueEncoding {
    /** The value is the argument's UTF-8 bytes: the default, right for text values only. */
    UTF8("utf-8"),
    /**
     * Each char of the argument, U+0000..U+00FF, is one byte (ISO-8859-1): lossless for any bytes,
     * the cheapest form for a transport that holds the value as bytes.
     */
    LATIN1("latin1"),
    /** The argument is the value in standard Base64 (RFC 4648, with or without padding). */
    BASE64("base64");

    static final String OPTION = IndexQuery.VALUE_ENCODING;
    static final String ALLOWED = "utf-8, latin1, base64";

    private final String optionValue;

    ValueEncoding(String optionValue) {
        this.optionValue = optionValue;
    }

    /**
     * @param text the option's value, or {@code null} for the default
     * @throws ModkvException {@code INVALID_REQUEST} naming the allowed encodings
     */
    static ValueEncoding named(String text) {
        if (text == null) {
            return UTF8;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (ValueEncoding encoding : values()) {
            if (encoding.optionValue.equals(lower) || (encoding == UTF8 && lower.equals("utf8"))
                    || (encoding == LATIN1 && lower.equals("iso-8859-1"))) {
                return encoding;
            }
        }
        throw new ModkvException(ErrorCode.INVALID_REQUEST, OPTION + " '" + text + "' is not allowed; use one of "
                + ALLOWED);
    }

    /**
     * The value's bytes.
     *
     * @throws ModkvException {@code INVALID_REQUEST} if the argument is not in this encoding
     */
    byte[] decode(String argument) {
        switch (this) {
            case UTF8:
                return argument.getBytes(StandardCharsets.UTF_8);
            case LATIN1:
                for (int i = 0; i < argument.length(); i++) {
                    if (argument.charAt(i) > 0xff) {
                        throw new ModkvException(ErrorCode.INVALID_REQUEST, "with " + OPTION + "=latin1 every character "
                                + "must be U+0000..U+00FF (one byte); character " + i + " is U+"
                                + String.format("%04X", (int) argument.charAt(i)));
                    }
                }
                return argument.getBytes(StandardCharsets.ISO_8859_1);
            default:
                try {
                    return Base64.getDecoder().decode(argument.strip());
                } catch (IllegalArgumentException e) {
                    throw new ModkvException(ErrorCode.INVALID_REQUEST, "with " + OPTION + "=base64 the value must be "
                            + "standard Base64 (A-Z a-z 0-9 + /, '=' padding): " + e.getMessage());
                }
        }
    }
}
