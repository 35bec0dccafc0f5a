package dev.ordergraph.platform.errors;

/**
 * A service refusing to start with the configuration it was given (a secret missing where running without
 * it would be unsafe). Spring Boot reports it as "APPLICATION FAILED TO START" with the problem and what to set
 * ({@link RefusedConfigurationAnalyzer}), instead of a stack of bean creation failures.
 */
public class RefusedConfiguration extends IllegalStateException {

    private final String problem;
    private final String action;

    /**
     * @param problem what is wrong, for the operator
     * @param action  what to set to start
     */
    public RefusedConfiguration(String problem, String action) {
        super(problem + " " + action);
        this.problem = problem;
        this.action = action;
    }

    public String problem() {
        return problem;
    }

    public String action() {
        return action;
    }
}
