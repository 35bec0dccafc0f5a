package dev.ordergraph.e2e.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP endpoint that takes exported spans (Zipkin's POST /api/v2/spans) and keeps nothing but their
 * bytes' count: what tracing costs the traced processes, without a trace store's own work on the same two
 * cores (in production the collector runs elsewhere).
 */
final class SpanSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();

    private SpanSink(HttpServer server) {
        this.server = server;
    }

    static SpanSink start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            SpanSink sink = new SpanSink(server);
            server.createContext("/", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    sink.bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
                }
                sink.posts.incrementAndGet();
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        System.out.printf("==== spans exported to the sink: %d requests, %.1f MB%n", posts.get(), bytes.get() / 1e6);
    }
}
