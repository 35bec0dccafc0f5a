package dev.ordergraph.platform.documents;

import com.netflix.graphql.dgs.autoconfig.DgsConfigurationProperties;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Makes {@code dgs.graphql.preparsed-document-provider.enabled} (and its {@code maximum-cache-size}) take
 * effect: DGS 12 sets any {@link PreparsedDocumentProvider} bean on the GraphQL engine, but registers its own
 * only when {@code dgs.graphql.preparsedDocumentProvider.enabled} is set in exactly that camel case (its
 * condition does not match the kebab-case name its metadata documents), and that one needs Caffeine, which the
 * services do not have. Without this, every request is parsed and validated again.
 */
@AutoConfiguration(beforeName = "com.netflix.graphql.dgs.springgraphql.autoconfig.DgsSpringGraphQLAutoConfiguration")
@ConditionalOnProperty(name = "dgs.graphql.preparsed-document-provider.enabled", havingValue = "true", matchIfMissing = true)
public class DocumentCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PreparsedDocumentProvider parsedDocumentCache(DgsConfigurationProperties dgs) {
        return new ParsedDocumentCache(Math.toIntExact(dgs.getPreparsedDocumentProvider().getMaximumCacheSize()));
    }
}
