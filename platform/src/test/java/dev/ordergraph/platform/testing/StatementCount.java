package dev.ordergraph.platform.testing;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SQL statements prepared on a test context's connections, whoever prepares them (Hibernate,
 * {@code JdbcClient}): import it into a slice test and compare {@link #prepared()} before and after a request.
 */
public class StatementCount implements BeanPostProcessor {

    private final AtomicLong prepared = new AtomicLong();

    public long prepared() {
        return prepared.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource ? new CountingDataSource(dataSource) : bean;
    }

    private final class CountingDataSource extends DelegatingDataSource {

        CountingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counting(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counting(super.getConnection(username, password));
        }

        private Connection counting(Connection target) {
            return (Connection) Proxy.newProxyInstance(StatementCount.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> {
                            if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                                prepared.incrementAndGet();
                            }
                            try {
                                yield method.invoke(target, args);
                            } catch (InvocationTargetException e) {
                                throw e.getTargetException();
                            }
                        }
                    });
        }
    }
}
