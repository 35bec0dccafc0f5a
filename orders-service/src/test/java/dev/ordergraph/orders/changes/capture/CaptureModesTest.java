package dev.ordergraph.orders.changes.capture;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.debezium.DebeziumChangeSource;
import dev.ordergraph.orders.changes.capture.debezium.EmbeddedCapture;
import dev.ordergraph.orders.changes.capture.debezium.ReplicationSlotMonitor;
import dev.ordergraph.orders.changes.capture.debezium.SlotReading;
import dev.ordergraph.orders.changes.capture.disabled.DisabledCapture;
import dev.ordergraph.orders.changes.capture.kafka.CaptureLeader;
import dev.ordergraph.orders.changes.capture.kafka.KafkaCaptureProperties;
import dev.ordergraph.orders.changes.capture.kafka.KafkaChangeSource;
import dev.ordergraph.orders.changes.capture.kafka.ScaleOutCapture;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which source, health and meters each combination of settings makes: the mode configurations alone,
 * on a database nobody listens for (nothing here reads it; health says it cannot be reached).
 */
class CaptureModesTest {

    private static final String NO_DATABASE = "jdbc:postgresql://127.0.0.1:1/none";

    private static final String AS_APPLICATION_YML = "${KAFKA_BOOTSTRAP_SERVERS:}"; // the environment variable, or empty

    private final ApplicationContextRunner configurations = new ApplicationContextRunner()
            .withUserConfiguration(Infrastructure.class, EmbeddedCapture.class, ScaleOutCapture.class, DisabledCapture.class, SlotReading.class);
    private final ApplicationContextRunner modes = configurations
            .withPropertyValues("ordergraph.cdc.kafka.bootstrap-servers=" + AS_APPLICATION_YML);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({CdcProperties.class, KafkaCaptureProperties.class})
    static class Infrastructure {

        @Bean
        DataSourceProperties dataSourceProperties() {
            DataSourceProperties properties = new DataSourceProperties();
            properties.setUrl(NO_DATABASE);
            properties.setUsername("postgres");
            return properties;
        }

        @Bean
        JdbcTemplate jdbcTemplate() {
            return new JdbcTemplate(new DriverManagerDataSource(NO_DATABASE, "postgres", ""));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ChangeSpans changeSpans() {
            return ChangeSpans.off();
        }
    }

    @Test
    void byDefaultTheSlotIsReadInProcess() {
        modes.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ChangeSource.class)).isInstanceOf(DebeziumChangeSource.class);
            assertThat(context).doesNotHaveBean(KafkaChangeSource.class).doesNotHaveBean(CaptureLeader.class);
            assertSlotMeters(context, true);
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN); // the engine is not started
            assertThat(health.getDetails()).containsEntry("engine", "STOPPED").containsEntry("connected", false)
                    .containsEntry("slot", "ordergraph_orders")
                    .containsEntry("slotActive", "unknown: the database cannot be reached")
                    .containsEntry("connectionLosses", 0L)
                    .doesNotContainKey("role");
        });
    }

    @Test
    void blankBootstrapServersAreNotTheScaleOutMode() {
        modes.withPropertyValues("KAFKA_BOOTSTRAP_SERVERS= ").run(context -> {
            assertThat(context.getBean(ChangeSource.class)).isInstanceOf(DebeziumChangeSource.class);
            assertThat(context).doesNotHaveBean(KafkaChangeSource.class);
        });
    }

    @Test
    void bootstrapServersMakeEveryReplicaReadTheTopicAndCampaignToLead() {
        modes.withPropertyValues("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1").run(context -> {
            assertThat(context).hasNotFailed();
            // The slot's source is the leader's: the one source the feed can be given is the topic.
            assertThat(context.getBean(ChangeSource.class)).isInstanceOf(KafkaChangeSource.class);
            assertThat(context).hasSingleBean(CaptureLeader.class).hasBean(DebeziumChangeSource.SLOT_READER);
            assertSlotMeters(context, true);
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN); // the topic is not read yet
            assertThat(health.getDetails()).containsEntry("role", "follower")
                    .containsEntry("topic", "ordergraph.orders.changes")
                    .containsEntry("caughtUp", false)
                    .containsEntry("consumerLag", -1L)
                    .doesNotContainKey("engine");
        });
    }

    @Test
    void bootstrapServersBindRelaxedlyFromTheEnvironment() {
        // The environment variable of the property itself, over application.yml's setting (empty here).
        configurations.withInitializer(context -> {
                    var sources = context.getEnvironment().getPropertySources();
                    sources.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
                            Map.of("ORDERGRAPH_CDC_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:1")));
                    sources.addLast(new MapPropertySource("application.yml",
                            Map.of("ordergraph.cdc.kafka.bootstrap-servers", AS_APPLICATION_YML)));
                })
                .run(context -> {
                    assertThat(context.getBean(KafkaCaptureProperties.class).bootstrapServers()).isEqualTo("127.0.0.1:1");
                    assertThat(context.getBean(ChangeSource.class)).isInstanceOf(KafkaChangeSource.class);
                });
    }

    @Test
    void aReplicaWithCaptureDisabledOnlyReadsTheTopic() {
        modes.withPropertyValues("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1", "ordergraph.cdc.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ChangeSource.class)).isInstanceOf(KafkaChangeSource.class);
            assertThat(context).doesNotHaveBean(CaptureLeader.class).doesNotHaveBean(DebeziumChangeSource.SLOT_READER);
            assertSlotMeters(context, false);
            assertThat(health(context).getDetails()).containsEntry("role", "follower").doesNotContainKey("engine");
        });
    }

    @Test
    void captureDisabledDeliversNothingAndHealthIsUnknown() {
        modes.withPropertyValues("ordergraph.cdc.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            ChangeSource source = context.getBean(ChangeSource.class);
            assertThat(source).isNotInstanceOf(DebeziumChangeSource.class).isNotInstanceOf(KafkaChangeSource.class);
            assertThat(source.durable()).isFalse();
            source.start(batch -> {
                throw new AssertionError("a disabled capture delivered " + batch);
            });
            source.stop();
            assertSlotMeters(context, false);
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(health.getDetails()).isEqualTo(Map.of("engine", "disabled"));
        });
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean(ChangeCaptureHealthIndicator.NAME, HealthIndicator.class).health();
    }

    /** The slot's and the connection's meters, and what makes them, exist only where the slot may be read. */
    private static void assertSlotMeters(AssertableApplicationContext context, boolean present) {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(context.getBeanNamesForType(ReplicationSlotMonitor.class)).hasSize(present ? 1 : 0);
        for (String meter : new String[] {"ordergraph.cdc.slot.lag", "ordergraph.cdc.slot.retained", "ordergraph.cdc.connected",
                "ordergraph.cdc.connection.losses"}) {
            assertThat(registry.find(meter).meter()).as(meter).matches(m -> (m != null) == present);
        }
    }
}
