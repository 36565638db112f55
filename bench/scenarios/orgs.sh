# The organization tree and the home page. Sourced after lib/bench.sh, with bench_ids called.

orgs_tree_street() {
  bench_wrk orgs.tree.street "a street's subtree, three levels (communities, grid branches, party groups)" demo-street "$TOKEN_STREET" \
    "/api/v1/orgs/tree?root=$STREET_ID&depth=3" '{"p95Ms":100}'
}

orgs_tree_city() {
  bench_wrk orgs.tree.city "the city's tree, two levels (streets and their communities)" demo-district "$TOKEN_DISTRICT" \
    "/api/v1/orgs/tree?root=$DISTRICT_ID&depth=2" '{"p95Ms":100}'
}

# What the community's home page reads: counts by kind, open alerts, the first 20 alerts (run after the evaluation).
home_community() {
  bench_wrk home.community "a community's home page: organizations by kind, open and critical alerts, first 20 alerts" demo-community "$TOKEN_COMMUNITY" \
    "/api/v1/orgs/$COMMUNITY_ID/overview" '{"p95Ms":100}'
}

orgs_scenarios() {
  orgs_tree_street
  orgs_tree_city
  home_community
}
