package org.modkv.bench;

/** A parsed {@code host:port} (or {@code [v6]:port}) from {@code --connect}. */
record Address(String host, int port) {

    /** @throws IllegalArgumentException saying what is wrong and showing the expected form */
    static Address parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("--connect: '" + text + "' is not HOST:PORT, e.g. 127.0.0.1:7379");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--connect: '" + text + "' has no numeric port; write HOST:PORT, e.g. 127.0.0.1:7379");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--connect: '" + text + "' has port " + port + "; allowed 1..65535");
        }
        return new Address(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
