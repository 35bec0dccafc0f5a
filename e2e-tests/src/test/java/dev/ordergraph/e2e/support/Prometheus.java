package dev.ordergraph.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus text endpoints read as a scraper reads them. */
public final class Prometheus {

    private static final HttpClient SCRAPER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Prometheus() {
    }

    /** The Prometheus text at {@code scrapeUrl}; fails unless it answers 200. */
    public static String scrape(URI scrapeUrl) {
        HttpResponse<String> scrape;
        try {
            scrape = SCRAPER.send(HttpRequest.newBuilder(scrapeUrl)
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        return scrape.body();
    }

    /** The sum of the samples at {@code scrapeUrl} named {@code name} whose labels contain every fragment. */
    public static double metric(URI scrapeUrl, String name, String... labelFragments) {
        return scrape(scrapeUrl).lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labelFragments).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
