# Sourced by run-demo and make-screenshots: starts app-inbox-server --demo
# on a free loopback port with a temporary database in $demo (which the
# caller made), and sets $url and $demo/demo-token. stop_demo_server ends it.

server_pid=""

start_demo_server () {
  (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$demo/admin-token")
  ./_build/src/server/app-inbox-server --listen 127.0.0.1:0 --db "$demo/server.sqlite" \
    --media "$demo/media" --admin-token-file "$demo/admin-token" --demo > "$demo/server.log" 2>&1 &
  server_pid=$!

  tries=0
  until grep -q '^app-inbox-server: listening on ' "$demo/server.log"; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
      echo "The demo server did not start:" >&2
      cat "$demo/server.log" >&2
      return 1
    fi
    sleep 0.1
  done
  url=$(sed -n 's/^app-inbox-server: listening on //p' "$demo/server.log")
  sed -n 's/^app-inbox-server: demo token: //p' "$demo/server.log" > "$demo/demo-token"
}

stop_demo_server () {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  server_pid=""
}
