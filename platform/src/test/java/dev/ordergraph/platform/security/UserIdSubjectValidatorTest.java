package dev.ordergraph.platform.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserIdSubjectValidatorTest {

    @Test
    void aSubjectIsAUserIdOnlyAsAPositive64BitDecimal() {
        assertThat(UserIdSubjectValidator.isUserId("1")).isTrue();
        assertThat(UserIdSubjectValidator.isUserId("9223372036854775807")).isTrue();
        assertThat(UserIdSubjectValidator.isUserId("9223372036854775808")).as("past Long.MAX_VALUE").isFalse();
        assertThat(UserIdSubjectValidator.isUserId("99999999999999999999")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId("abc")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId("0")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId("-1")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId("01")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId(" 1")).isFalse();
        assertThat(UserIdSubjectValidator.isUserId(null)).isFalse();
    }
}
