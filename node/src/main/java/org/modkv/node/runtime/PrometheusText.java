package org.modkv.node.runtime;

import java.util.Locale;
import java.util.Map;

/**
 * Renders the kernel's stats sections in the Prometheus text exposition format (0.0.4).
 *
 * <p>Mapping, uniform for every section so plugins need not know about Prometheus: a number
 * {@code section[name]} becomes {@code modkv_<section>_<name> value}; a dotted name
 * {@code a.b} becomes {@code modkv_<section>_<b>{<label>="a"}}, where the label is {@code op}
 * for requests, {@code index} for indexes and {@code name} elsewhere; a string value becomes
 * an info-style series {@code modkv_<section>_<name>{value="..."} 1}.
 */
final class PrometheusText {
    private PrometheusText() {
    }

    static String render(Map<String, Map<String, Object>> sections) {
        StringBuilder out = new StringBuilder(4096);
        sections.forEach((section, values) -> {
            String label = switch (section) {
                case "requests" -> "op";
                case "indexes" -> "index";
                default -> "name";
            };
            values.forEach((name, value) -> {
                int dot = name.lastIndexOf('.');
                String metric = "modkv_" + sanitize(section) + "_" + sanitize(dot < 0 ? name : name.substring(dot + 1));
                String labels = dot < 0 ? "" : label + "=\"" + escape(name.substring(0, dot)) + "\"";
                if (value instanceof Number number) {
                    line(out, metric, labels, number.toString());
                } else {
                    String info = "value=\"" + escape(String.valueOf(value)) + "\"";
                    line(out, metric, labels.isEmpty() ? info : labels + "," + info, "1");
                }
            });
        });
        return out.toString();
    }

    private static void line(StringBuilder out, String metric, String labels, String value) {
        out.append(metric);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static String sanitize(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return lower.isEmpty() || Character.isDigit(lower.charAt(0)) ? "_" + lower : lower;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
