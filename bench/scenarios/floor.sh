# The app's own floor on this machine, for reading the other figures: a trivial authenticated endpoint
# (bearer token check, user, claims and scope lookups, no feature query). Issue 7 compares each scenario to it.

floor_auth_me() {
  bench_wrk app.floor.auth-me "trivial authenticated endpoint (token, user and role lookups only)" demo-street "$TOKEN_STREET" \
    "/api/v1/auth/me" ""
}
