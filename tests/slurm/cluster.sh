#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests/slurm.rs (run as root).
#   cluster.sh start DIR   start munged (if not running), slurmctld and slurmd; config, state,
#                          logs and pid files live in DIR; prints the SLURM_CONF path when ready
#   cluster.sh stop DIR    stop the daemons this script started, by their pid files
set -euo pipefail
cmd="$1"; dir="$(realpath -m "$2")"
conf="$dir/slurm.conf"
case "$cmd" in
start)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  if ! pgrep -x munged >/dev/null; then
    if [ ! -s /etc/munge/munge.key ]; then
      mkdir -p /etc/munge
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge
    rm -f /run/munge/munged.pid
    su -s /bin/sh munge -c /usr/sbin/munged
    for _ in $(seq 1 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    cp /run/munge/munged.pid "$dir/munged.pid.ours"
  fi
  host="$(hostname -s)"
  cat > "$conf" <<CONF
ClusterName=alue-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=${ALUE_SLURMCTLD_PORT:-16817}
SlurmdPort=${ALUE_SLURMD_PORT:-16818}
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  /usr/sbin/slurmctld -c -f "$conf"
  /usr/sbin/slurmd -c -f "$conf"
  for _ in $(seq 1 100); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then echo "$conf"; exit 0; fi
    sleep 0.2
  done
  echo "the Slurm node did not come up; logs in $dir/log" >&2
  sinfo >&2 || true
  exit 1
  ;;
stop)
  for f in slurmd.pid slurmctld.pid munged.pid.ours; do
    if [ -s "$dir/$f" ]; then kill "$(cat "$dir/$f")" 2>/dev/null || true; fi
  done
  ;;
*) echo "usage: cluster.sh start|stop DIR" >&2; exit 2;;
esac
