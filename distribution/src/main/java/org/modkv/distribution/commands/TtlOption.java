package org.modkv.distribution.commands;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A TTL as the CLI takes it: a positive whole number with an optional unit, {@code ms}, {@code s}
 * (the default), {@code m}, {@code h} or {@code d}: {@code 30}, {@code 250ms}, {@code 5m}.
 */
final class TtlOption implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < lower.length() && Character.isDigit(lower.charAt(split))) {
            split++;
        }
        String unit = lower.substring(split);
        long amount;
        try {
            amount = Long.parseLong(lower.substring(0, split));
        } catch (NumberFormatException e) {
            amount = -1;
        }
        if (amount <= 0 || amount > 365L * 86_400_000L) {
            throw new TypeConversionException("'" + text + "' is not a TTL: use a positive whole number with an "
                    + "optional unit ms, s (default), m, h or d, at most a year, e.g. 30s or 5m");
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "", "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new TypeConversionException("'" + text + "' has an unknown unit '" + unit
                    + "'; allowed: ms, s, m, h, d");
        };
    }
}
