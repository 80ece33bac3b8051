package org.modkv.transport.resp;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.modkv.api.transport.NodeStatus;

/**
 * The text of {@code INFO}: Redis' {@code # Section} / {@code field:value} format, with the
 * sections Redis tools look for and the kernel's own figures.
 *
 * <pre>
 * # Server        redis_version (the Redis feature level clients may assume), modkv_version, node_id...
 * # Clients       connected_clients
 * # Replication   role:standalone|leader|follower|candidate|peer, leader_id when known, plugin figures
 * # Keyspace      db0:keys=N,expires=0,avg_ttl=0
 * # Storage, # Indexes, # Requests ... every other section of RequestHandler.stats()
 * </pre>
 *
 * {@code redis_version} is a plain {@code 7.0.0}, not something like {@code 7.0.0-modkv}: some
 * client libraries parse it as dotted numbers. {@code server_name:modkv} and
 * {@code modkv_version} say what is really answering.
 */
final class InfoReport {
    /** The Redis version whose commands and replies this transport follows. */
    static final String REDIS_VERSION = "7.0.0";
    static final String MODKV_VERSION = loadVersion();

    private InfoReport() {
    }

    /**
     * @param sections the INFO arguments; empty, {@code default}, {@code all} or
     *     {@code everything} mean every section; otherwise section names, any case
     * @param status the node's status
     * @param stats the kernel's figures by section, from {@code RequestHandler.stats()}
     * @param connectedClients open RESP connections
     * @param port the port the transport listens on
     */
    static String render(List<String> sections, NodeStatus status, Map<String, Map<String, Object>> stats,
                         int connectedClients, int port) {
        Map<String, Map<String, Object>> report = new LinkedHashMap<>();

        Map<String, Object> server = new LinkedHashMap<>();
        server.put("redis_version", REDIS_VERSION);
        server.put("redis_mode", "standalone");
        server.put("server_name", "modkv");
        server.put("modkv_version", MODKV_VERSION);
        server.put("node_id", status.nodeId());
        server.put("tcp_port", port);
        Map<String, Object> kernelServer = stats.getOrDefault("server", Map.of());
        Object uptime = kernelServer.get("uptime_seconds");
        if (uptime != null) {
            server.put("uptime_in_seconds", uptime);
        }
        putOthers(server, kernelServer);
        report.put("Server", server);

        report.put("Clients", Map.<String, Object>of("connected_clients", connectedClients));

        Map<String, Object> replication = new LinkedHashMap<>();
        replication.put("role", status.replication().role().label());
        status.replication().leaderId().ifPresent(leader -> replication.put("leader_id", leader));
        putOthers(replication, stats.getOrDefault("replication", Map.of()));
        putOthers(replication, status.replication().details());
        report.put("Replication", replication);

        report.put("Keyspace", Map.<String, Object>of("db0", "keys=" + status.keys() + ",expires=0,avg_ttl=0"));

        stats.forEach((name, figures) -> {
            if (!name.equals("server") && !name.equals("replication") && !name.equals("keyspace")) {
                report.put(title(name), figures);
            }
        });

        boolean everything = sections.isEmpty() || sections.stream().map(s -> s.toLowerCase(Locale.ROOT))
                .anyMatch(s -> s.equals("default") || s.equals("all") || s.equals("everything"));
        StringBuilder text = new StringBuilder(1024);
        report.forEach((name, fields) -> {
            if (everything || sections.stream().anyMatch(name::equalsIgnoreCase)) {
                if (text.length() > 0) {
                    text.append("\r\n");
                }
                text.append("# ").append(name).append("\r\n");
                appendFields(text, "", fields);
            }
        });
        return text.toString();
    }

    /** Adds the fields of {@code from} that {@code into} does not have yet. */
    private static void putOthers(Map<String, Object> into, Map<String, ?> from) {
        from.forEach((key, value) -> {
            String field = field(key);
            if (!into.containsKey(field) && !field.equals("uptime_seconds")) {
                into.put(field, value);
            }
        });
    }

    /** {@code field:value} lines; nested maps become {@code outer_inner:value}. */
    private static void appendFields(StringBuilder text, String prefix, Map<?, ?> fields) {
        fields.forEach((key, value) -> {
            String name = prefix + field(String.valueOf(key));
            if (value instanceof Map<?, ?> nested) {
                appendFields(text, name + "_", nested);
            } else {
                text.append(name).append(':').append(value(value)).append("\r\n");
            }
        });
    }

    /** A field name as INFO parsers expect: no colon, white space or line break. */
    private static String field(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(c == ':' || Character.isWhitespace(c) ? '_' : c);
        }
        return out.toString();
    }

    private static String value(Object value) {
        String text = String.valueOf(value);
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    private static String title(String section) {
        return section.isEmpty() ? section : Character.toUpperCase(section.charAt(0)) + section.substring(1);
    }

    private static String loadVersion() {
        try (InputStream in = InfoReport.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("modkv.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
