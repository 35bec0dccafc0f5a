package dev.ordergraph.users.user;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface UserRepository extends JpaRepository<UserEntity, Long> {

    /** One keyset page in sign-up (id) order. */
    List<UserEntity> findByIdGreaterThanOrderByIdAsc(long afterId, Limit limit);
}
