package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.Stack;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** schema/supergraph.graphql is generated; this fails when someone changed a subgraph schema and did not recompose. */
class SupergraphIsCurrentTest {

    @Test
    void theCommittedSupergraphIsTheCompositionOfTheSubgraphSchemas() throws IOException, InterruptedException {
        Process check = new ProcessBuilder("node", "scripts/compose.mjs", "--check")
                .directory(Stack.get().root().resolve("gateway").toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as("compose --check said:\n" + output + "\nRun `npm run compose` in gateway/.").isZero();
    }
}
