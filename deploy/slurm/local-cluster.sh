#!/usr/bin/env bash
# A throw-away one-node Slurm cluster (slurmctld + slurmd + a private munged), everything under
# one private state directory: to try submit.sh on one machine, and for deploy/slurm.test.ts.
# Needs root and Debian's slurm-wlm and munge. Does not read or write /etc/slurm or /etc/munge,
# and `down` leaves no daemon or job process behind.
#
#   cluster.sh up   DIR   # create DIR/*, start daemons, wait until node idle
#   cluster.sh down DIR   # stop daemons + leftover job processes (DIR is kept)
#
# Clients then only need:  SLURM_CONF=DIR/slurm.conf  sbatch|squeue|sinfo|scontrol|scancel
#
# Optional env: SLURM_LAB_CTLD_PORT (default 6817), SLURM_LAB_SLURMD_PORT (default 6818),
#               SLURM_LAB_UP_TIMEOUT (seconds, default 60),
#               SLURM_LAB_SCHED_PARAMS / SLURM_LAB_DEP_PARAMS (SchedulerParameters /
#               DependencyParameters, defaults below).
set -euo pipefail

die() { echo "cluster.sh: $*" >&2; exit 1; }
fail() { echo "cluster.sh: $*" >&2; do_down; exit 1; }   # after daemons were started

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 up|down DIR"
if [ "$cmd" = down ] && [ ! -d "$dir" ]; then exit 0; fi
mkdir -p "$dir"
DIR=$(cd "$dir" && pwd -P)            # absolute, symlink-free
CONF=$DIR/slurm.conf
MSOCK=$DIR/munge/munge.sock           # unix socket path must stay < 108 bytes

# Environment for every daemon we start. SLURM_LAB_DIR tags the daemons (and the
# slurmstepd processes they fork) so `down` can find leftovers precisely.
daemon_env=(env -u SLURM_JOB_ID SLURM_CONF="$CONF" SLURM_LAB_DIR="$DIR")

# PIDs of processes that belong to this cluster: environment tagged with
# SLURM_LAB_DIR=$DIR (daemons and the slurmstepd they fork), a command line
# inside $DIR/spool (batch scripts), or job processes (SLURM_JOB_ID set and
# SLURM_CONF=$CONF). Never this script or its ancestors.
cluster_pids() {
  local skip=" " p=$$ pid f
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    skip+="$p "
    p=$(awk '/^PPid:/{print $2}' /proc/$p/status 2>/dev/null || true)
  done
  for f in /proc/[0-9]*; do
    pid=${f#/proc/}
    case "$skip" in *" $pid "*) continue;; esac
    if grep -qszxF "SLURM_LAB_DIR=$DIR" "$f/environ" 2>/dev/null \
       || grep -qszF "$DIR/spool/" "$f/cmdline" 2>/dev/null \
       || { grep -qszxF "SLURM_CONF=$CONF" "$f/environ" 2>/dev/null \
            && grep -qsz '^SLURM_JOB_ID=' "$f/environ" 2>/dev/null; }; then
      echo "$pid"
    fi
  done
}

# running = exists and not a zombie (daemons are reparented to PID 1, which may
# reap late; a zombie has already released its ports/sockets)
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }

# TERM the given pids, wait up to $1 deciseconds, then KILL survivors
term_wait_kill() {
  local n=$1; shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  while [ "$n" -gt 0 ]; do
    local alive=0 p
    for p in "$@"; do alive "$p" && alive=1; done
    [ $alive = 1 ] || return 0
    sleep 0.1; n=$((n-1))
  done
  kill -KILL "$@" 2>/dev/null || true
}

pid_of() { [ -s "$1" ] && cat "$1" 2>/dev/null || true; }

do_down() {
  local ctld sd mu left
  ctld=$(pid_of "$DIR/slurmctld.pid"); sd=$(pid_of "$DIR/slurmd.pid"); mu=$(pid_of "$DIR/munge/munged.pid")
  # cancel jobs first so slurmd/slurmstepd clean up job processes themselves
  if [ -n "$ctld" ] && alive "$ctld"; then
    SLURM_CONF=$CONF timeout 5 scancel --quiet --user="$(id -un)" >/dev/null 2>&1 || true
  fi
  term_wait_kill 50 $sd
  term_wait_kill 50 $ctld
  # leftovers (slurmstepd, job scripts, slurmscriptd, daemons whose pidfile was lost), except munged
  left=$(for p in $(cluster_pids); do
           [ "$p" = "$mu" ] || [ "$(cat /proc/$p/comm 2>/dev/null)" = munged ] || echo "$p"; done)
  term_wait_kill 20 $left
  term_wait_kill 30 $mu $(cluster_pids)
  rm -f "$DIR/slurmctld.pid" "$DIR/slurmd.pid" "$DIR/munge/munged.pid" "$MSOCK" "$MSOCK.lock"
}

do_up() {
  [ "$(id -u)" = 0 ] || die "must run as root (SlurmUser=root, munged as root)"
  [ ${#MSOCK} -lt 100 ] || die "DIR too long for a unix socket path: $MSOCK"
  for b in slurmctld slurmd munged mungekey sinfo; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || die "missing $b (apt-get install slurm-wlm munge)"
  done
  export PATH="$PATH:/usr/sbin:/sbin"
  local node hw ctld_port=${SLURM_LAB_CTLD_PORT:-6817} sd_port=${SLURM_LAB_SLURMD_PORT:-6818}
  local port
  for port in "$ctld_port" "$sd_port"; do   # another cluster on these ports? (clients would talk to it)
    if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
      die "port $port already in use (set SLURM_LAB_CTLD_PORT / SLURM_LAB_SLURMD_PORT)"
    fi
  done
  node=$(hostname -s)
  # real hardware as slurmd sees it: line 1 of `slurmd -C` minus NodeName=, i.e.
  # "CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
  hw=$(slurmd -C 2>/dev/null | head -n1 | sed 's/^NodeName=[^ ]* *//')
  case "$hw" in *CPUs=*RealMemory=*) ;; *) hw="CPUs=$(nproc)";; esac

  mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log"
  chmod 755 "$DIR/munge"; chmod 755 "$DIR" "$DIR/state" "$DIR/spool" "$DIR/log"
  : > "$DIR/plugstack.conf"

  cat > "$CONF" <<EOF
ClusterName=lab
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$sd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MSOCK
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$DIR/plugstack.conf
MailProg=/bin/true
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=${SLURM_LAB_SCHED_PARAMS-batch_sched_delay=0,sched_min_interval=0}
DependencyParameters=${SLURM_LAB_DEP_PARAMS-kill_invalid_depend}
ReturnToService=2
SlurmctldTimeout=10
SlurmdTimeout=30
MessageTimeout=10
InactiveLimit=0
KillWait=2
MinJobAge=300
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node $hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

  # --- munge: private key, socket, pid, log, seed ---
  [ -s "$DIR/munge/munge.key" ] || mungekey --create --keyfile="$DIR/munge/munge.key" >/dev/null
  chmod 600 "$DIR/munge/munge.key"
  "${daemon_env[@]}" munged --force \
      --socket="$MSOCK" --key-file="$DIR/munge/munge.key" \
      --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" \
      --seed-file="$DIR/munge/munged.seed" </dev/null >>"$DIR/log/daemons.out" 2>&1 \
    || fail "munged failed: $(tail -n5 "$DIR/munge/munged.log" 2>/dev/null)"
  local i
  for i in $(seq 50); do [ -S "$MSOCK" ] && break; sleep 0.1; done
  munge -n -S "$MSOCK" | unmunge -S "$MSOCK" >/dev/null || fail "munge self-test failed"

  # --- slurm daemons (they daemonize; stdio detached so callers' pipes close) ---
  "${daemon_env[@]}" slurmctld -f "$CONF" </dev/null >>"$DIR/log/daemons.out" 2>&1 \
    || fail "slurmctld failed: $(tail -n5 "$DIR/log/slurmctld.log" 2>/dev/null)"
  "${daemon_env[@]}" slurmd -f "$CONF" -N "$node" </dev/null >>"$DIR/log/daemons.out" 2>&1 \
    || fail "slurmd failed: $(tail -n5 "$DIR/log/slurmd.log" 2>/dev/null)"

  local deadline=$((SECONDS + ${SLURM_LAB_UP_TIMEOUT:-60})) st=""
  while [ $SECONDS -lt $deadline ]; do
    st=$(SLURM_CONF=$CONF sinfo -h -N -n "$node" -o %t 2>/dev/null || true)
    case "$st" in idle) echo "slurm up: SLURM_CONF=$CONF node=$node $hw"; return 0;; esac
    sleep 0.5
  done
  tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" "$DIR/log/daemons.out" >&2 || true
  fail "node did not become idle within ${SLURM_LAB_UP_TIMEOUT:-60}s (state='$st'); logs above"
}

case "$cmd" in
  up) do_up ;;
  down) do_down ;;
  *) die "unknown command $cmd (up|down)" ;;
esac
