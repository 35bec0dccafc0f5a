package dev.ordergraph.platform.documents;

import com.netflix.graphql.dgs.autoconfig.DgsConfigurationProperties;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentCacheAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DocumentCacheAutoConfiguration.class))
            .withUserConfiguration(DgsSettings.class);

    @Test
    void theCacheIsOnUnlessDgsSettingsTurnItOff() {
        context.run(started -> assertThat(started).getBean(PreparsedDocumentProvider.class).isInstanceOf(ParsedDocumentCache.class));
        context.withPropertyValues("dgs.graphql.preparsed-document-provider.enabled=true")
                .run(started -> assertThat(started).hasSingleBean(ParsedDocumentCache.class));
        context.withPropertyValues("dgs.graphql.preparsed-document-provider.enabled=false")
                .run(started -> assertThat(started).doesNotHaveBean(PreparsedDocumentProvider.class));
    }

    @Test
    void itHoldsAsManyDocumentsAsDgsSettingsSay() {
        context.withPropertyValues("dgs.graphql.preparsed-document-provider.maximum-cache-size=1").run(started -> {
            PreparsedDocumentProvider cache = started.getBean(PreparsedDocumentProvider.class);
            List<String> parsed = new ArrayList<>();
            for (String query : List.of("{ a }", "{ b }", "{ a }")) {
                cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), input -> {
                    parsed.add(input.getQuery());
                    return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
                }).join();
            }
            assertThat(parsed).containsExactly("{ a }", "{ b }", "{ a }");
        });
    }

    @EnableConfigurationProperties(DgsConfigurationProperties.class)
    static class DgsSettings {
    }
}
