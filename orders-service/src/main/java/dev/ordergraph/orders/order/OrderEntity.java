package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.types.OrderState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/**
 * A row of {@code orders}; the table is the public contract (psql, batch jobs and other services
 * write it directly). {@code userId} is a plain id: users live in another service's database.
 */
@Entity
@Table(name = "orders")
public class OrderEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private LocalDate date;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderState state;

    @Column(name = "user_id", nullable = false)
    private long userId;

    protected OrderEntity() {
    }

    public Long getId() {
        return id;
    }

    public LocalDate getDate() {
        return date;
    }

    public OrderState getState() {
        return state;
    }

    public long getUserId() {
        return userId;
    }
}
