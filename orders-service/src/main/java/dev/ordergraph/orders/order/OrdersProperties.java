package dev.ordergraph.orders.order;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the order queries.
 *
 * @param getOrdersLimit most orders {@code getOrders} returns (it has no paging arguments, so a staff
 *                       viewer would otherwise load the whole table); {@code orders} pages instead
 * @param maxPageSize    largest {@code first} accepted by the paginated fields
 */
@ConfigurationProperties("ordergraph.orders")
public record OrdersProperties(@DefaultValue("1000") int getOrdersLimit, @DefaultValue("100") int maxPageSize) {
}
