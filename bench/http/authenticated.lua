-- wrk script: an authenticated read (token checked on every request, no password hashing).
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
