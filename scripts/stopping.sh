# Sourced by run-dev.sh and serve.sh: wait until every process group in `pids` is gone, killing
# what is still there after STOP_TIMEOUT seconds.
await_stopped() {
    local deadline=$((SECONDS + STOP_TIMEOUT)) alive pid
    while :; do
        alive=""
        for pid in "${pids[@]}"; do
            if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; then
                alive=1
            fi
        done
        [ -z "$alive" ] && return 0
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "Still running after ${STOP_TIMEOUT} s; killing." >&2 || true
            for pid in "${pids[@]}"; do
                kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            done
            return 0
        fi
        sleep 0.1
    done
}
