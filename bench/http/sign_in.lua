-- wrk script: every request is a full PortSIP sign-in (password check included).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"username":"%s","password":"%s","domain":"%s"}',
    os.getenv("BENCH_USER"), os.getenv("BENCH_PASSWORD"), os.getenv("BENCH_DOMAIN"))
