package dev.ordergraph.orders;

import dev.ordergraph.platform.testing.TestDatabase;
import dev.ordergraph.platform.testing.TestViewers;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The orders subgraph without its web server and without change capture, in a PostgreSQL database of the
 * test's own: data fetchers are asked through {@code DgsQueryExecutor}, the viewer comes from the
 * {@code Authorization} header given to it ({@link TestViewers}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = {"ordergraph.gateway.allow-unsigned=true", "ordergraph.cdc.enabled=false"})
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestViewers.class)
@DirtiesContext // closes the context after the class, which drops its database
public @interface OrdersSliceTest {
}
