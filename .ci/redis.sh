#!/usr/bin/env bash
# Runs the Redis server that the Redis-backed tests (state/redisstore) use.
#
#   eval "$(bash .ci/redis.sh start)"   # installs redis-server if missing, starts it,
#                                       # prints: export MSGFILTER_REDIS_ADDR=127.0.0.1:PORT
#   bash .ci/redis.sh stop              # shuts it down
#
# The server listens on 127.0.0.1 only, on 6379 unless that port is taken (then the
# next free one), keeps nothing on disk, and is tracked in $MSGFILTER_REDIS_DIR
# (default ${TMPDIR:-/tmp}/msgfilter-redis). Both verbs are idempotent and quiet on
# success; diagnostics go to stderr.
set -euo pipefail

dir=${MSGFILTER_REDIS_DIR:-${TMPDIR:-/tmp}/msgfilter-redis}
pidfile=$dir/redis.pid
portfile=$dir/port

die() { echo "redis.sh: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ping() { # ping PORT: true when a Redis server answers PONG
	local reply
	reply=$(exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && timeout 1 head -c 7 <&3) 2>/dev/null || return 1
	[[ $reply == +PONG* ]]
}

running() { # prints the port of our live server, if any
	[[ -s $pidfile && -s $portfile ]] || return 1
	local pid port
	pid=$(<"$pidfile") port=$(<"$portfile")
	kill -0 "$pid" 2>/dev/null && ping "$port" && echo "$port"
}

install() {
	command -v redis-server >/dev/null && return
	local sudo=
	[[ $(id -u) == 0 ]] || sudo=sudo
	$sudo apt-get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null 2>&1 ||
		die "apt-get install redis-server failed"
	command -v redis-server >/dev/null || die "redis-server still missing after install"
}

start() {
	local port
	if port=$(running); then
		echo "export MSGFILTER_REDIS_ADDR=127.0.0.1:$port"
		return
	fi
	install
	mkdir -p "$dir"
	port=${MSGFILTER_REDIS_PORT:-6379}
	while port_open "$port"; do
		port=$((port + 1))
		((port < 6479)) || die "no free port in 6379-6478"
	done
	redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
		--dir "$dir" --pidfile "$pidfile" --logfile "$dir/redis.log" >/dev/null ||
		die "redis-server failed to start; see $dir/redis.log"
	echo "$port" >"$portfile"
	for _ in $(seq 50); do
		if ping "$port"; then
			echo "export MSGFILTER_REDIS_ADDR=127.0.0.1:$port"
			return
		fi
		sleep 0.1
	done
	die "redis-server on port $port did not answer PING; see $dir/redis.log"
}

stop() {
	[[ -s $pidfile ]] || { rm -f "$portfile"; return; }
	local pid
	pid=$(<"$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$pidfile" "$portfile"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*) die "usage: $0 start|stop" ;;
esac
