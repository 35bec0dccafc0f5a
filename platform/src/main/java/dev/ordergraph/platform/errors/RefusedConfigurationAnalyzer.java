package dev.ordergraph.platform.errors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link RefusedConfiguration} as Spring Boot's start-up failure report: the problem, then the action. */
public class RefusedConfigurationAnalyzer extends AbstractFailureAnalyzer<RefusedConfiguration> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RefusedConfiguration cause) {
        return new FailureAnalysis(cause.problem(), cause.action(), cause);
    }
}
