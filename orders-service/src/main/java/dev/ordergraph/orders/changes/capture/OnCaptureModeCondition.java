package dev.ordergraph.orders.changes.capture;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@link ConditionalOnCaptureMode}; the outcome names the mode, so the conditions report says why. */
final class OnCaptureModeCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        CaptureMode wanted = (CaptureMode) metadata.getAnnotationAttributes(ConditionalOnCaptureMode.class.getName()).get("value");
        CaptureMode mode = CaptureMode.of(context.getEnvironment());
        String message = "change capture mode " + mode;
        return mode == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
