package dev.ordergraph.platform.gateway;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against vectors the gateway's own code computed ({@code gateway-signature/vectors.mjs}): each request body
 * is read the way the subgraph reads it (Jackson, as Spring GraphQL does), then written and signed here.
 */
class GatewaySignatureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> signsAndVerifiesWhatTheGatewaySigns() throws Exception {
        JsonNode file;
        try (InputStream in = GatewaySignatureTest.class.getResourceAsStream("/gateway-signature/vectors.json")) {
            file = JSON.readTree(in);
        }
        String secret = file.get("secret").asString();
        return file.get("vectors").valueStream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asString(), () -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(vector.get("body").asString(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) body.get("variables");
            String query = (String) body.get("query");

            assertThat(GatewaySignature.canonical(query, variables)).isEqualTo(vector.get("canonical").asString());
            assertThat(GatewaySignature.sign(secret, query, variables)).isEqualTo(vector.get("signature").asString());
            assertThat(new GatewaySignature(secret).verifies(query, variables, vector.get("signature").asString())).isTrue();
        }));
    }

    @Test
    void aSignatureOfOtherVariablesAnotherQueryOrAnotherSecretIsRefused() {
        Map<String, Object> variables = Map.of("id", "T3JkZXI6NDI=");
        String signature = GatewaySignature.sign("secret-a", "query($id: ID!) { order(id: $id) { id } }", variables);
        GatewaySignature verifier = new GatewaySignature("secret-a");

        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id } }", variables, signature)).isTrue();
        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id } }", Map.of("id", "T3JkZXI6NDM="), signature)).isFalse();
        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id state } }", variables, signature)).isFalse();
        assertThat(new GatewaySignature("secret-b").verifies("query($id: ID!) { order(id: $id) { id } }", variables, signature)).isFalse();
        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id } }", variables, "not base64!")).isFalse();
        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id } }", variables, 42)).isFalse();
        assertThat(verifier.verifies("query($id: ID!) { order(id: $id) { id } }", variables, "")).isFalse();
    }

    @Test
    void javaValuesAreSignedAsTheirJsonTextReadsInJavaScript() {
        // What a Java caller (the e2e tests, orders-service asking users-service) signs before it sends the JSON.
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("long", 9007199254740993L);
        variables.put("float", 0.1f);
        variables.put("bigInteger", new BigInteger("123456789012345678901234567890"));
        variables.put("bigDecimal", new BigDecimal("1.50"));
        variables.put("negativeZero", -0.0);
        variables.put("list", List.of(1e21, 1e-7, 100.0));

        assertThat(GatewaySignature.canonical("q", variables)).isEqualTo("{\"query\":\"q\",\"variables\":{\"bigDecimal\":1.5,"
                + "\"bigInteger\":1.2345678901234568e+29,\"float\":0.1,\"list\":[1e+21,1e-7,100],\"long\":9007199254740992,\"negativeZero\":0}}");
    }

    @Test
    void numbersPrintAsJavaScriptPrintsThem() {
        assertThat(CanonicalJson.javaScript(5e-324)).isEqualTo("5e-324"); // Double.toString: 4.9E-324
        assertThat(CanonicalJson.javaScript(1e23)).isEqualTo("1e+23");
        assertThat(CanonicalJson.javaScript(123456.789)).isEqualTo("123456.789");
        assertThat(CanonicalJson.javaScript(0.000001)).isEqualTo("0.000001");
        assertThat(CanonicalJson.javaScript(1.5e-6)).isEqualTo("0.0000015");
        assertThat(CanonicalJson.javaScript(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(CanonicalJson.javaScript(-1e300)).isEqualTo("-1e+300");
        assertThat(CanonicalJson.javaScript(2.5)).isEqualTo("2.5");
    }
}
