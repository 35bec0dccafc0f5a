package dev.ordergraph.users;

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
 * The users subgraph without its web server, in a PostgreSQL database of the test's own: data fetchers are
 * asked through {@code DgsQueryExecutor}, the viewer comes from the {@code Authorization} header given to it
 * ({@link TestViewers}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "ordergraph.gateway.allow-unsigned=true")
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestViewers.class)
@DirtiesContext // closes the context after the class, which drops its database
public @interface UsersSliceTest {
}
