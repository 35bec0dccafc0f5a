# The everyday commands; each is a thin wrapper over scripts/.
.PHONY: run run-scaled test token compose bench

run:      ## PostgreSQL set-up, both services with dev data, the gateway on :4000, the web page on :3000. TRACING=1: and Zipkin on :9411, every process tracing into it
	scripts/run.sh

run-scaled: ## as run, scaled out: a Kafka broker, two orders-service replicas (:8082, :8083), gateways on :4000 and :4001
	scripts/run-scaled.sh

test:     ## every test, against real PostgreSQL through the gateway
	scripts/test.sh

token:    ## a dev JWT: make token USER=1 [STAFF=1]
	@scripts/token.sh $(if $(filter command line,$(origin USER)),$(USER),1) $(if $(STAFF),staff,)

bench:    ## benchmarks through the gateway and direct; prints the figures (see docs/benchmarks.md). PEER=postgraphile: ordergraph and PostGraphile side by side instead
	$(if $(PEER),scripts/bench-peer.sh $(PEER) && )scripts/test.sh -Pbench -Dsurefire.failIfNoSpecifiedTests=false $(if $(PEER),-Dbench.peer=$(PEER) -Dtest=PeerBenchmark)

compose:  ## recompose schema/supergraph.graphql and schema/api.graphql after changing a subgraph schema
	cd gateway && npm run compose
