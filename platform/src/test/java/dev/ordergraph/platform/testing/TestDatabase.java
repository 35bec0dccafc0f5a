package dev.ordergraph.platform.testing;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;

/**
 * A PostgreSQL database of a test context's own: created empty before the context starts (Flyway then
 * migrates it like production), dropped when the context closes, after its connection pool. Reaches the
 * server named by {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD} (default
 * {@code 127.0.0.1:5432}, {@code postgres}), as the services do.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment env = context.getEnvironment();
        String server = "jdbc:postgresql://" + env.getProperty("PGHOST", "127.0.0.1") + ":" + env.getProperty("PGPORT", "5432") + "/";
        String user = env.getProperty("PGUSER", "postgres");
        String password = env.getProperty("PGPASSWORD", "");
        String name = env.getProperty("spring.application.name", "subgraph").replace('-', '_')
                + "_test_" + UUID.randomUUID().toString().substring(0, 8);
        Dropper dropper = new Dropper(server, user, password, name);
        dropper.execute("create database " + name);
        TestPropertyValues.of("spring.datasource.url=" + server + name, "spring.datasource.username=" + user,
                "spring.datasource.password=" + password).applyTo(context);
        context.addBeanFactoryPostProcessor(beanFactory -> dropAfterDataSources(beanFactory, dropper));
    }

    /** Registers the drop as a bean every data source depends on, so it is destroyed after them. */
    private static void dropAfterDataSources(ConfigurableListableBeanFactory beanFactory, Dropper dropper) {
        String dropperName = TestDatabase.class.getName();
        ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition(dropperName, new RootBeanDefinition(Dropper.class, () -> dropper));
        for (String dataSource : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
            BeanDefinition definition = beanFactory.getBeanDefinition(dataSource);
            String[] dependsOn = definition.getDependsOn() == null ? new String[0] : definition.getDependsOn();
            String[] more = Arrays.copyOf(dependsOn, dependsOn.length + 1);
            more[dependsOn.length] = dropperName;
            definition.setDependsOn(more);
        }
    }

    static final class Dropper implements DisposableBean {

        private final String server;
        private final String user;
        private final String password;
        private final String name;

        Dropper(String server, String user, String password, String name) {
            this.server = server;
            this.user = user;
            this.password = password;
            this.name = name;
        }

        @Override
        public void destroy() {
            execute("drop database if exists " + name + " with (force)");
        }

        void execute(String sql) {
            try (Connection admin = DriverManager.getConnection(server + "postgres", user, password);
                 Statement statement = admin.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not run '" + sql + "' on " + server + ": is PostgreSQL running?", e);
            }
        }
    }
}
