package dev.ordergraph.orders.changes.capture;

import org.springframework.context.annotation.Conditional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Matches when the environment asks for this {@link CaptureMode}. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnCaptureModeCondition.class)
public @interface ConditionalOnCaptureMode {

    CaptureMode value();
}
